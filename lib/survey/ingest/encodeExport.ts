import type { CycleConfig } from "../config/cycleConfig.ts";
import { type ExportFacts, readExport } from "../../sources/exportRows.ts";
import { BatchWriter } from "../../ingest/batchWriter.ts";
import { encodeRow, type RowProblem } from "./encodeRow.ts";
import { LineEncoder } from "./lineEncoder.ts";
import { ResponseIdSet } from "./responseIdSet.ts";
import { buildExportLayout, groupSource, type ExportLayout } from "./exportLayout.ts";
import { RejectionCollector } from "../../ingest/rejectionReport.ts";

/** What reading and validating one export gave. */
export interface EncodedExport {
  facts: ExportFacts;
  layout: ExportLayout;
  writer: BatchWriter;
  /** Response rows read (after the header and skipped rows). */
  rows: number;
  duplicates: number;
  rejections: RejectionCollector;
  /** SHA-256 hashes of response tokens (never the tokens), to mark recipients as responded. */
  tokenHashes: Set<string>;
  /** Each open-text question's coded answers (response id and the rules' codes; never the text). */
  openText: Record<string, CodedAnswer[]>;
  /** The first accepted responses as read (cells) with their rows, when `sample` asked for them. */
  sample: { row: number; cells: string[] }[];
}

/** What ingest needs of any encoded upload (an annual-survey or a 360 export). */
export type EncodedUpload = Pick<EncodedExport, "facts" | "writer" | "rows" | "duplicates" | "rejections" | "tokenHashes" | "openText">;

/** An open-text answer as kept: whose it was and the codes the rules gave it. */
export interface CodedAnswer {
  responseId: string;
  codes: string[];
}

/** Where encoded rows go, and what to report while reading. */
export interface EncodeOptions {
  config: CycleConfig;
  group: string;
  /** The upload's key, named in errors. */
  file: string;
  /** Receives the batch writer once the header is known (to stream it somewhere). */
  onWriter: (writer: BatchWriter) => void;
  /** Keeps keyed hashes of response tokens with this (only when there are recipients to mark). */
  hashToken?: (token: string) => string;
  onProgress?: (rows: number) => void;
  /** Keep this many accepted responses as read, to show a person (`asye check`); default none. */
  sample?: number;
}

/**
 * Reads one group's export as its source says, validates every response against the
 * questionnaire and encodes the valid ones into a normalized batch; bad rows and repeated
 * response ids are collected for the rejection report, never written. The bytes are never
 * held whole. Throws FileRejectedError for a file that cannot be read as the group's export.
 */
export async function encodeExport(chunks: AsyncIterable<Uint8Array>, options: EncodeOptions): Promise<EncodedExport> {
  const { config, group, file } = options;
  const source = groupSource(config, group);
  const rejections = new RejectionCollector();
  const firstRowById = new ResponseIdSet();
  /** Reads raw lines as bytes (null: this layout cannot; undefined: not made yet). */
  let lines: LineEncoder | null | undefined;
  const tokenHashes = new Set<string>();
  const rowProblems: RowProblem[] = [];
  let layout: ExportLayout | undefined;
  let writer: BatchWriter | undefined;
  let rows = 0;
  let duplicates = 0;
  const sample: EncodedExport["sample"] = [];
  const openText: Record<string, CodedAnswer[]> = Object.fromEntries(config.questionnaire.openText.map((q) => [q.id, []]));

  const facts = await readExport(chunks, file, source, {
    header: (names, headerRows) => {
      layout = buildExportLayout(config, group, names, file, headerRows);
      writer = new BatchWriter(layout.header, layout.rowWidth);
      options.onWriter(writer);
    },
    responses: (batch) => {
      const layoutNow = layout!;
      const out = writer!;
      lines ??= LineEncoder.for(layoutNow, batch.delimiter) ?? null;
      // Strings of a response are made only when something keeps them.
      const keepsText = layoutNow.openText.length > 0 || (options.hashToken !== undefined && layoutNow.token >= 0) || sample.length < (options.sample ?? 0);
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        const row = batch.rows[i]!;
        const lineStart = batch.lineStarts[i]!;
        rows++;
        let record: string[] | undefined;
        let firstSeen: number;
        if (lineStart >= 0 && lines !== null && lines.encode(batch.bytes, lineStart, batch.lineEnds[i]!, out.buffer, out.used)) {
          if (layoutNow.responseId < 0) firstSeen = -1;
          else if (lines.idText === undefined) firstSeen = firstRowById.firstRow(batch.bytes, lines.idStart, lines.idEnd, row);
          else firstSeen = firstRowById.firstRowOfText(lines.idText, row);
        } else {
          record = batch.record(i);
          rowProblems.length = 0;
          if (!encodeRow(layoutNow, record, row, out.buffer, out.used, rowProblems)) {
            rejections.reject(rowProblems);
            continue;
          }
          firstSeen = layoutNow.responseId < 0 ? -1 : firstRowById.firstRowOfText(record[layoutNow.responseId]!.trim(), row);
        }
        if (firstSeen >= 0) {
          duplicates++;
          rejections.duplicate({ row, responseId: responseIdOf(layoutNow, batch.record(i), row), firstRow: firstSeen });
          continue;
        }
        out.commit();
        if (!keepsText) continue;
        record ??= batch.record(i);
        const id = responseIdOf(layoutNow, record, row);
        if (sample.length < (options.sample ?? 0)) sample.push({ row, cells: record.slice() });
        for (const question of layoutNow.openText) {
          const answer = record[question.column]!;
          if (answer.trim() !== "") openText[question.id]!.push({ responseId: id, codes: question.code(answer) });
        }
        if (options.hashToken && layoutNow.token >= 0) {
          const token = record[layoutNow.token]!.trim();
          if (token !== "") tokenHashes.add(options.hashToken(token));
        }
      }
      options.onProgress?.(rows);
      return out.stream.writableNeedDrain ? out.drained() : undefined;
    },
  });
  return { facts, layout: layout!, writer: writer!, rows, duplicates, rejections, tokenHashes, sample, openText };
}

/** The response's id as the rejection report and open-text codes name it (`row N` when the export has none). */
function responseIdOf(layout: ExportLayout, record: string[], row: number): string {
  return layout.responseId < 0 ? `row ${row}` : record[layout.responseId]!.trim();
}
