import type { CycleConfig } from "../config/cycleConfig.ts";
import { type ExportFacts, readExport } from "../../sources/exportRows.ts";
import { BatchWriter } from "../../ingest/batchWriter.ts";
import { encodeRow, type RowProblem } from "./encodeRow.ts";
import { LineEncoder } from "./lineEncoder.ts";
import type { RecordBatch } from "../../csv/recordBatch.ts";
import { ResponseIdSet } from "./responseIdSet.ts";
import { buildExportLayout, columnsRead, groupSource, type ExportLayout } from "./exportLayout.ts";
import { RejectionCollector } from "../../ingest/rejectionReport.ts";
import { DATE_ORDER_BITS } from "../../sources/dateColumn.ts";
import type { DateOrder } from "../../sources/sourceSchema.ts";
import { FileRejectedError } from "../../errors.ts";

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
  /** The completion times' order, settled from all of them (inferred: not the tool's default); none without the column. */
  dateOrder: { order: DateOrder; inferred: boolean } | undefined;
}

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
  const source = groupSource(options.config, options.group);
  const encoder = new ExportEncoder(options);
  const facts = await readExport(chunks, options.file, source, {
    header: (names, headerRows) => encoder.header(names, headerRows),
    responses: (batch) => encoder.responses(batch),
    readsColumn: (column) => encoder.readsColumn(column),
  });
  return encoder.finish(facts);
}

/** What {@link ExportEncoder.encodeResponse} gives for a response that is not valid (rejected, with its problems). */
const REJECTED = -2;
/** What it gives for an incomplete response (no completion time, where the source leaves those out). */
const INCOMPLETE = -3;

/** One export as it is read: its layout once the header is known, then each batch of responses encoded or rejected. */
class ExportEncoder {
  private layout: ExportLayout | undefined;
  private writer: BatchWriter | undefined;
  private rows = 0;
  private duplicates = 0;
  private readonly rejections = new RejectionCollector();
  private readonly firstRowById = new ResponseIdSet();
  /** Reads raw lines as bytes (null: this layout cannot; undefined: not made yet). */
  private lines: LineEncoder | null | undefined;
  private readonly rowProblems: RowProblem[] = [];
  private readonly tokenHashes = new Set<string>();
  private readonly sample: EncodedExport["sample"] = [];
  private readonly openText: Record<string, CodedAnswer[]>;
  private readColumns: ReadonlySet<number> | undefined;

  constructor(private readonly options: EncodeOptions) {
    this.openText = Object.fromEntries(options.config.questionnaire.openText.map((q) => [q.id, []]));
  }

  /** The header read: the export's layout, and the batch writer its rows go to, handed on. */
  header(names: string[], headerRows: string[][]): void {
    const { config, group, file } = this.options;
    this.layout = buildExportLayout(config, group, names, file, headerRows);
    this.writer = new BatchWriter(this.layout.header, this.layout.rowWidth);
    this.options.onWriter(this.writer);
  }

  /** Whether the layout reads an export column: a cell there whose bytes are not valid text is a row problem, elsewhere a warning. */
  readsColumn(column: number): boolean {
    this.readColumns ??= columnsRead(this.layout!);
    return this.readColumns.has(column);
  }

  /** A batch of responses, each written or rejected; resolves when the writer's consumer has caught up. */
  responses(batch: RecordBatch): undefined | Promise<void> {
    const layout = this.layout!;
    const out = this.writer!;
    const lines = (this.lines ??= LineEncoder.for(layout, batch.delimiter) ?? null);
    // Strings of a response are made only when something keeps them.
    const keepsText = layout.openText.length > 0 || (this.options.hashToken !== undefined && layout.token >= 0) || this.sample.length < (this.options.sample ?? 0);
    this.rows += this.rejections.unreadable(batch.problems);
    for (let i = batch.first; i < batch.length; i++) {
      const row = batch.rows[i]!;
      this.rows++;
      const firstSeen = this.encodeResponse(batch, i, row, lines);
      if (firstSeen === REJECTED || firstSeen === INCOMPLETE) continue;
      if (firstSeen >= 0) {
        this.duplicates++;
        this.rejections.duplicate({ row, responseId: responseIdOf(layout, batch.record(i), row), firstRow: firstSeen });
        continue;
      }
      out.commit();
      if (keepsText) this.keepText(layout, batch.record(i), row);
    }
    this.options.onProgress?.(this.rows);
    return out.stream.writableNeedDrain ? out.drained() : undefined;
  }

  /**
   * What was read, once the whole file has been, with the completion times' order settled from
   * all of them. Throws FileRejectedError when they need both orders or contradict the declared one.
   */
  finish(facts: ExportFacts): EncodedExport {
    const { layout, writer, rows, duplicates, rejections, tokenHashes, sample, openText } = this;
    // The survey keeps no completion time: only values that need both orders refuse it.
    const settled = layout?.dates?.settle(false);
    if (settled && "refusal" in settled) throw new FileRejectedError(this.options.file, settled.refusal);
    const dateOrder = settled ? { order: settled.order, inferred: settled.inferred } : undefined;
    return { facts, layout: layout!, writer: writer!, rows, duplicates, rejections, tokenHashes, sample, openText, dateOrder };
  }

  /**
   * Encodes response `i` into the writer's next row, as bytes when its raw line is valid as it
   * stands, else as text (with its problems collected). Gives the row its id was first seen on
   * (-1: it was not), or {@link REJECTED}.
   */
  private encodeResponse(batch: RecordBatch, i: number, row: number, lines: LineEncoder | null): number {
    const layout = this.layout!;
    const out = this.writer!;
    const lineStart = batch.lineStarts[i]!;
    if (lineStart >= 0 && lines !== null && lines.encode(batch.bytes, lineStart, batch.lineEnds[i]!, out.buffer, out.used)) {
      if (lines.dateOrders !== DATE_ORDER_BITS.either) layout.dates?.note(row, lines.dateOrders, () => batch.bytes.toString("utf8", lines.dateStart, lines.dateEnd));
      if (layout.responseId < 0) return -1;
      if (lines.idText === undefined) return this.firstRowById.firstRow(batch.bytes, lines.idStart, lines.idEnd, row);
      return this.firstRowById.firstRowOfText(lines.idText, row);
    }
    const record = batch.record(i);
    if (isIncomplete(layout, record)) {
      this.rejections.incomplete();
      return INCOMPLETE;
    }
    this.rowProblems.length = 0;
    if (!encodeRow(layout, record, row, out.buffer, out.used, this.rowProblems)) {
      this.rejections.reject(this.rowProblems);
      return REJECTED;
    }
    return layout.responseId < 0 ? -1 : this.firstRowById.firstRowOfText(record[layout.responseId]!.trim(), row);
  }

  /** What is kept of an accepted response's text: a sample to show, its open-text codes and its token's hash. */
  private keepText(layout: ExportLayout, record: string[], row: number): void {
    const id = responseIdOf(layout, record, row);
    if (this.sample.length < (this.options.sample ?? 0)) this.sample.push({ row, cells: record.slice() });
    for (const question of layout.openText) {
      const answer = record[question.column]!;
      if (answer.trim() !== "") this.openText[question.id]!.push({ responseId: id, codes: question.code(answer) });
    }
    if (this.options.hashToken && layout.token >= 0) {
      const token = record[layout.token]!.trim();
      if (token !== "") this.tokenHashes.add(this.options.hashToken(token));
    }
  }
}

/** Whether a response has no completion time and the source leaves such responses out. */
function isIncomplete(layout: ExportLayout, record: string[]): boolean {
  return layout.excludesIncomplete && layout.submittedAt >= 0 && (record[layout.submittedAt] ?? "").trim() === "";
}

/** The response's id as the rejection report and open-text codes name it (`row N` when the export has none). */
function responseIdOf(layout: ExportLayout, record: string[], row: number): string {
  return layout.responseId < 0 ? `row ${row}` : record[layout.responseId]!.trim();
}
