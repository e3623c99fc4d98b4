import type { CsvRecordProblem } from "./csvTokenizer.ts";

/**
 * The records read from one piece of a file, in order, each with its row number, and the rows
 * that could not be read. A record is either its fields as text or, for a line without quotes
 * (nearly every line of a survey export), that line's bytes, split and decoded only when asked
 * ({@link record}): an ingest that reads such lines as bytes (LineEncoder) makes no strings of
 * them. The bytes belong to the reader: use a batch before the next piece is read, never keep it.
 */
export class RecordBatch {
  /** Row number of each record. */
  readonly rows: number[] = [];
  /** Rows that could not be read as records. */
  problems: CsvRecordProblem[] = [];
  /** The first record still to be handled: header and skipped rows are taken off the front. */
  first = 0;
  /** Where each raw line starts and ends in {@link bytes}; -1 for a record read as text. */
  readonly lineStarts: number[] = [];
  readonly lineEnds: number[] = [];
  private readonly fields: (string[] | undefined)[] = [];

  constructor(
    /** The bytes the raw lines are in (empty when every record is text). */
    readonly bytes: Buffer = EMPTY,
    /** The delimiter the raw lines are split on. */
    readonly delimiter = ",",
  ) {}

  /** Records read from text (or a worksheet), with their rows and problems. */
  static of(records: string[][], rows: number[], problems: CsvRecordProblem[]): RecordBatch {
    const batch = new RecordBatch();
    for (let i = 0; i < records.length; i++) batch.addFields(records[i]!, rows[i]!);
    batch.problems = problems;
    return batch;
  }

  /** Records in the batch, including those before {@link first}. */
  get length(): number {
    return this.rows.length;
  }

  /** Adds a record read as text. */
  addFields(fields: string[], row: number): void {
    this.rows.push(row);
    this.fields.push(fields);
    this.lineStarts.push(-1);
    this.lineEnds.push(-1);
  }

  /** Adds a line without quotes, bytes [start, end) of {@link bytes} (UTF-8, checked). */
  addLine(start: number, end: number, row: number): void {
    this.rows.push(row);
    this.fields.push(undefined);
    this.lineStarts.push(start);
    this.lineEnds.push(end);
  }

  /** Record `i`'s fields as text (a raw line is decoded and split now). */
  record(i: number): string[] {
    const fields = this.fields[i];
    if (fields !== undefined) return fields;
    const decoded = this.bytes.toString("utf8", this.lineStarts[i], this.lineEnds[i]).split(this.delimiter);
    this.fields[i] = decoded;
    return decoded;
  }

  /** Every record from {@link first} on, as text. */
  records(): string[][] {
    const all: string[][] = [];
    for (let i = this.first; i < this.length; i++) all.push(this.record(i));
    return all;
  }
}

const EMPTY = Buffer.alloc(0);
