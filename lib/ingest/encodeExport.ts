import type { CycleConfig } from "../config/cycleConfig.ts";
import { type ExportFacts, readExport } from "../sources/exportRows.ts";
import { BatchWriter } from "./batchWriter.ts";
import { encodeRow, type RowProblem } from "./encodeRow.ts";
import { buildExportLayout, groupSource, type ExportLayout } from "./exportLayout.ts";
import { RejectionCollector } from "./rejectionReport.ts";

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
  const firstRowById = new Map<string, number>();
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
    responses: (records, rowNumbers, problems) => {
      const layoutNow = layout!;
      const out = writer!;
      rows += rejections.unreadable(problems);
      for (let i = 0; i < records.length; i++) {
        const row = rowNumbers[i]!;
        const record = records[i]!;
        rows++;
        rowProblems.length = 0;
        if (!encodeRow(layoutNow, record, row, out.buffer, out.used, rowProblems)) {
          rejections.reject(rowProblems);
          continue;
        }
        const id = layoutNow.responseId < 0 ? `row ${row}` : record[layoutNow.responseId]!.trim();
        const firstSeen = firstRowById.get(id);
        if (firstSeen !== undefined) {
          duplicates++;
          rejections.duplicate({ row, responseId: id, firstRow: firstSeen });
          continue;
        }
        firstRowById.set(id, row);
        out.commit();
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
