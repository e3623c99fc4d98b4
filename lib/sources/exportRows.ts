import { createHash } from "node:crypto";
import { CsvTokenizer } from "../csv/csvTokenizer.ts";
import { RecordBatch } from "../csv/recordBatch.ts";
import { Utf8Repair } from "../csv/utf8.ts";
import { FileRejectedError } from "../errors.ts";
import { ByteCsvTokenizer } from "../csv/byteCsvTokenizer.ts";
import { decodeText, ENCODING_SETTING, ENCODING_SNIFF_BYTES, type TextEncodingName, textEncodingOf } from "./decodeText.ts";
import { type Delimiter, DelimiterFinder, type DelimiterFound, UnsupportedDelimiterError } from "./detectDelimiter.ts";
import { gunzipExport, isGzip } from "./gunzipExport.ts";
import { headerNames } from "./headerNames.ts";
import { readXlsxRows } from "./readXlsxRows.ts";
import type { ResolvedSource } from "./resolveSource.ts";
import { misdecodedCharacter, UndecodableCells } from "./undecodableCells.ts";

/** Receives rows in batches (from the batch's `first` record on); reading waits for a returned promise. */
export type RowsHandler = (batch: RecordBatch) => undefined | Promise<void>;

/** What reading found out about the file, besides its rows. */
export interface ExportFacts {
  format: "csv" | "xlsx";
  /** Set when the upload was gzipped (the format and encoding are then the decompressed file's). */
  compression?: "gzip";
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
  /** Set when the file's own `sep=` first line declared the delimiter. */
  delimiterDeclared?: boolean;
  /** The size and SHA-256 of the bytes as uploaded. */
  bytes: number;
  sha256: string;
  /** The header rows as read, before they were turned into names. */
  headerRows: string[][];
  /** What a person should know although the file was read: cells whose bytes were not valid text in columns not read. */
  warnings?: string[];
}

/** What to do with the header (it may throw to reject the file) and with the responses. */
export interface ExportHandlers {
  header: (names: string[], headerRows: string[][]) => void;
  responses: RowsHandler;
  /**
   * Whether the caller reads a column (asked once the header is handled): a cell whose bytes
   * are not valid text makes its row a problem where it is read, and only a warning elsewhere.
   * Without it, such rows are handed on as read (U+FFFD in place) for the caller's own checks,
   * each such cell a warning ({@link UndecodableCells}).
   */
  readsColumn?: (column: number) => boolean;
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/**
 * How much of the file is read looking for the end of its first line, to guess the delimiter:
 * the tokenizers' limit on one record (4 MiB). A longer first line is never a readable header,
 * so the guess is made from what was seen and the tokenizer refuses the line, instead of the
 * whole file being held waiting for a line end.
 */
const FIRST_LINE_LIMIT = 4 << 20;

/**
 * Reads any export a survey tool writes, .xlsx or delimited text in any of the encodings,
 * gzipped or not, into column names (from the source's header rows) and response rows,
 * skipping the rows the tool puts between them. Neither the file nor its rows are ever held
 * whole. A cell whose bytes are not valid in the file's encoding costs its row, or only a
 * warning ({@link UndecodableCells}).
 * Throws {@link FileRejectedError} for a file that is not an export (no header, wrong bytes).
 */
export async function readExport(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  source: ResolvedSource,
  handlers: ExportHandlers,
): Promise<ExportFacts> {
  const hash = createHash("sha256");
  const facts: ExportFacts = { format: "csv", bytes: 0, sha256: "", headerRows: [] };
  const counted = (async function* () {
    for await (const chunk of chunks) {
      hash.update(chunk);
      facts.bytes += chunk.length;
      yield chunk;
    }
  })();
  // The first bytes tell gzip, a workbook from text, and text's encoding.
  let [head, rest] = await peekBytes(counted, ENCODING_SNIFF_BYTES);
  if (isGzip(head)) {
    facts.compression = "gzip";
    [head, rest] = await peekBytes(gunzipExport(rest, file), ENCODING_SNIFF_BYTES);
  }
  const undecodable = new UndecodableCells(() => facts.encoding ?? "utf-8");
  const split = new HeaderSplitter(file, source, facts, handlers, undecodable);
  if (XLSX_MAGIC.every((byte, i) => head[i] === byte)) {
    facts.format = "xlsx";
    await readXlsxRows(rest, file, source.sheet, split.push);
  } else {
    await readDelimitedText(rest, head, file, source, facts, split.push, undecodable);
  }
  split.end();
  const refusal = undecodable.refusal();
  if (refusal !== undefined) throw new FileRejectedError(file, refusal);
  const warnings = undecodable.warnings(split.names);
  if (warnings.length > 0) facts.warnings = warnings;
  facts.sha256 = hash.digest("hex");
  return facts;
}

async function readDelimitedText(
  all: AsyncIterable<Uint8Array>,
  head: Uint8Array,
  file: string,
  source: ResolvedSource,
  facts: ExportFacts,
  onRows: RowsHandler,
  undecodable: UndecodableCells,
): Promise<void> {
  const encoding = textEncodingOf(head, source.encoding);
  if (encoding === "utf-8") {
    facts.encoding = "utf-8";
    await readUtf8Bytes(all, file, source, facts, onRows, undecodable, head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf);
    return;
  }
  let tokenizer: CsvTokenizer | undefined;
  const first = new FirstPieces<string>(file, source, facts);
  const texts = decodeText(
    all,
    file,
    source.encoding,
    (detected) => {
      facts.encoding = detected;
    },
    () => undecodable.noteUndecodable(),
  );
  const push = async (piece: string, final: boolean) => {
    let text = piece;
    if (tokenizer === undefined) {
      const found = first.push(text, text, final);
      if (found === undefined) return;
      tokenizer = new CsvTokenizer({ delimiter: found.delimiter });
      text = found.pieces.join("").slice(found.skip);
    }
    const tokens = tokenizer.push(text, final);
    if (tokens.records.length > 0 || tokens.problems.length > 0) await onRows(RecordBatch.of(tokens.records, tokens.rows, tokens.problems));
  };
  for await (const text of texts) await push(text, false);
  await push("", true);
}

/**
 * UTF-8 text read at the byte level (ByteCsvTokenizer): lines found with native byte searches
 * and handed over as bytes, never the whole file as one string. The records, rows and problems
 * are those of the text path (a differential fuzz test holds it). Bytes that are not UTF-8 are
 * read as U+FFFD first ({@link Utf8Repair}), so the tokenizer and the line encoder only ever see
 * UTF-8, and the cells holding them are sorted out by {@link UndecodableCells}.
 */
async function readUtf8Bytes(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  source: ResolvedSource,
  facts: ExportFacts,
  onRows: RowsHandler,
  undecodable: UndecodableCells,
  bom: boolean,
): Promise<void> {
  let tokenizer: ByteCsvTokenizer | undefined;
  const first = new FirstPieces<Uint8Array>(file, source, facts);
  const repair = new Utf8Repair();
  let skip = bom ? 3 : 0;
  const push = async (raw: Uint8Array, final: boolean) => {
    let bytes: Uint8Array = repair.push(raw, final);
    if (repair.first !== undefined) undecodable.noteUndecodable(repair.first);
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    if (tokenizer === undefined) {
      // Latin-1 reads each byte as one character: the ASCII ones, all that count, as UTF-8 would.
      const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
      const found = first.push(bytes, latin1, final);
      if (found === undefined) return;
      tokenizer = new ByteCsvTokenizer({ delimiter: found.delimiter });
      bytes = Buffer.concat(found.pieces).subarray(found.skip);
    }
    const batch = tokenizer.push(bytes, final);
    if (batch.length > 0 || batch.problems.length > 0) await onRows(batch);
  };
  for await (const chunk of chunks) await push(chunk, false);
  await push(new Uint8Array(0), true);
}

/**
 * The front of a delimited text, held until its delimiter is known ({@link DelimiterFinder}: a
 * `sep=` line, the setting, or the first line), but never past {@link FIRST_LINE_LIMIT}.
 */
class FirstPieces<Piece> {
  private readonly pieces: Piece[] = [];
  private length = 0;
  private readonly finder: DelimiterFinder;

  constructor(
    private readonly file: string,
    source: ResolvedSource,
    private readonly facts: ExportFacts,
  ) {
    this.finder = new DelimiterFinder(source.delimiter);
  }

  /** Holds the next piece (`text`: it as text, or its bytes as Latin-1): every piece so far once the delimiter is known. */
  push(piece: Piece, text: string, final: boolean): (DelimiterFound & { pieces: Piece[] }) | undefined {
    this.pieces.push(piece);
    this.length += text.length;
    let found: DelimiterFound | undefined;
    try {
      found = this.finder.push(text, final || this.length > FIRST_LINE_LIMIT);
    } catch (error) {
      if (error instanceof UnsupportedDelimiterError) throw new FileRejectedError(this.file, error.message, { cause: error });
      throw error;
    }
    if (found === undefined) return undefined;
    this.facts.delimiter = found.delimiter;
    if (found.declared) this.facts.delimiterDeclared = true;
    return { ...found, pieces: this.pieces };
  }
}

/**
 * Takes the header rows, and the rows the source skips after them (by row number, so a skipped
 * row that could not be read is skipped too), off the front of the rows; hands the responses
 * on, without the rows whose read cells held bytes that were not valid text (made problems).
 */
class HeaderSplitter {
  /** The column names, once the header is read. */
  names: string[] = [];
  private firstResponseRow = Number.POSITIVE_INFINITY;

  constructor(
    private readonly file: string,
    private readonly source: ResolvedSource,
    private readonly facts: ExportFacts,
    private readonly handlers: ExportHandlers,
    private readonly undecodable: UndecodableCells,
  ) {}

  /** Receives the rows as the reader reads them. */
  readonly push: RowsHandler = (batch) => {
    const rows = batch.rows;
    let start = 0;
    if (this.firstResponseRow === Number.POSITIVE_INFINITY) {
      start = this.takeHeader(batch);
      if (start < 0) return undefined;
    }
    while (start < batch.length && rows[start]! < this.firstResponseRow) start++;
    batch.first = start;
    batch.problems = batch.problems.filter((problem) => problem.row >= this.firstResponseRow);
    if (start >= batch.length && batch.problems.length === 0) return undefined;
    // A worksheet row ends at its last filled cell; a text row always has every field.
    if (this.facts.format === "xlsx") for (let i = start; i < batch.length; i++) for (const record = batch.record(i); record.length < this.names.length; ) record.push("");
    return this.handlers.responses(this.undecodable.sift(batch, this.names, this.handlers.readsColumn));
  };

  /** Checks the file was read to its end as an export: a header, and the rows it skips. */
  end(): void {
    const { facts, source, file } = this;
    if (facts.headerRows.length === 0) throw new FileRejectedError(file, "the file is empty: expected a header row and responses");
    if (this.firstResponseRow === Number.POSITIVE_INFINITY) throw new FileRejectedError(file, `expected ${source.headerRows} header rows, found ${facts.headerRows.length}`);
  }

  /** Reads header rows off the front of the batch: where the rest starts, or -1 while the header is not whole. */
  private takeHeader(batch: RecordBatch): number {
    const { facts, source } = this;
    const headerProblem = batch.problems.find((problem) => problem.row <= source.headerRows);
    if (headerProblem !== undefined) {
      throw new FileRejectedError(this.file, `the header (row ${headerProblem.row}) could not be read: ${headerProblem.message}`);
    }
    let start = 0;
    while (start < batch.length && facts.headerRows.length < source.headerRows) facts.headerRows.push(batch.record(start++));
    if (facts.headerRows.length < source.headerRows) return -1;
    this.firstResponseRow = batch.rows[start - 1]! + source.skipRows + 1;
    this.names = headerNames(facts.headerRows, source.placeholders);
    this.undecodable.header(facts.headerRows);
    this.handleHeader();
    return start;
  }

  /**
   * Hands the header on; when it does not fit and reads like text in another encoding (`Ã©`,
   * control characters, U+FFFD), the refusal says so and names the `encoding` setting.
   */
  private handleHeader(): void {
    const { facts } = this;
    try {
      this.handlers.header(this.names, facts.headerRows);
    } catch (error) {
      if (!(error instanceof FileRejectedError) || facts.format !== "csv") throw error;
      const encoding = facts.encoding ?? "utf-8";
      const strange = misdecodedCharacter(facts.headerRows, encoding);
      if (strange === undefined) throw error;
      const hint = `The header does not read as ${encoding.toUpperCase()} text (it holds ${JSON.stringify(strange)}): ${ENCODING_SETTING}`;
      throw new FileRejectedError(this.file, `${error.reason}. ${hint}`, { cause: error });
    }
  }
}

/** At least `size` bytes from the front of a stream (fewer only if it is shorter), and the whole stream again. */
async function peekBytes(chunks: AsyncIterable<Uint8Array>, size: number): Promise<[Uint8Array, AsyncIterable<Uint8Array>]> {
  const iterator = chunks[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
    length += next.value.length;
  }
  const head = taken.length === 1 ? taken[0]! : Buffer.concat(taken);
  return [
    head,
    (async function* () {
      yield* taken;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
  ];
}
