import { createHash } from "node:crypto";
import { CsvTokenizer } from "../csv/csvTokenizer.ts";
import { RecordBatch } from "../csv/recordBatch.ts";
import { FileRejectedError } from "../errors.ts";
import { ByteCsvTokenizer, InvalidUtf8Error } from "../csv/byteCsvTokenizer.ts";
import { decodeText, notUtf8Message, type TextEncodingName, textEncodingOf } from "./decodeText.ts";
import { type Delimiter, detectDelimiter } from "./detectDelimiter.ts";
import { headerNames } from "./headerNames.ts";
import { readXlsxRows } from "./readXlsxRows.ts";
import type { ResolvedSource } from "./resolveSource.ts";

/** Receives rows in batches (from the batch's `first` record on); reading waits for a returned promise. */
export type RowsHandler = (batch: RecordBatch) => undefined | Promise<void>;

/** What reading found out about the file, besides its rows. */
export interface ExportFacts {
  format: "csv" | "xlsx";
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
  /** The size and SHA-256 of the bytes as uploaded. */
  bytes: number;
  sha256: string;
  /** The header rows as read, before they were turned into names. */
  headerRows: string[][];
}

/** What to do with the header (it may throw to reject the file) and with the responses. */
export interface ExportHandlers {
  header: (names: string[], headerRows: string[][]) => void;
  responses: RowsHandler;
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * Reads any export a survey tool writes, .xlsx or delimited text in any of the encodings,
 * into column names (from the source's header rows) and response rows, skipping the rows the
 * tool puts between them. Neither the file nor its rows are ever held whole.
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
  // The first bytes tell a workbook from text, and text's encoding (its byte-order mark).
  const [head, rest] = await peekBytes(counted, 4);
  const split = headerSplitter(file, source, facts, handlers);
  if (XLSX_MAGIC.every((byte, i) => head[i] === byte)) {
    facts.format = "xlsx";
    await readXlsxRows(rest, file, source.sheet, split.push);
  } else {
    await readDelimitedText(rest, head, file, source, facts, split.push);
  }
  split.end();
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
): Promise<void> {
  const encoding = textEncodingOf(head, source.encoding);
  if (encoding === "utf-8") {
    facts.encoding = "utf-8";
    await readUtf8Bytes(all, file, source, facts, onRows, head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf);
    return;
  }
  let tokenizer: CsvTokenizer | undefined;
  let waiting = "";
  const texts = decodeText(all, file, source.encoding, (detected) => {
    facts.encoding = detected;
  });
  const push = async (text: string, final: boolean) => {
    if (tokenizer === undefined) {
      waiting += text;
      const delimiter = source.delimiter === "auto" ? detectDelimiter(waiting, final) : source.delimiter;
      if (delimiter === undefined) return;
      facts.delimiter = delimiter;
      tokenizer = new CsvTokenizer({ delimiter });
      text = waiting;
      waiting = "";
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
 * are those of the text path (a differential fuzz test holds it).
 */
async function readUtf8Bytes(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  source: ResolvedSource,
  facts: ExportFacts,
  onRows: RowsHandler,
  bom: boolean,
): Promise<void> {
  let tokenizer: ByteCsvTokenizer | undefined;
  let waiting: Uint8Array[] = [];
  let skip = bom ? 3 : 0;
  const push = async (bytes: Uint8Array, final: boolean) => {
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    if (tokenizer === undefined) {
      waiting.push(bytes);
      const head = Buffer.concat(waiting);
      const delimiter = source.delimiter === "auto" ? detectDelimiter(head.toString("utf8"), final) : source.delimiter;
      if (delimiter === undefined) return;
      facts.delimiter = delimiter;
      tokenizer = new ByteCsvTokenizer({ delimiter });
      bytes = head;
      waiting = [];
    }
    const batch = tokenizer.push(bytes, final);
    if (batch.length > 0 || batch.problems.length > 0) await onRows(batch);
  };
  try {
    for await (const chunk of chunks) await push(chunk, false);
    await push(new Uint8Array(0), true);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    throw new FileRejectedError(file, notUtf8Message(error.byte, error.offset + (bom ? 3 : 0)), { cause: error });
  }
}

/**
 * Takes the header rows, and the rows the source skips after them (by row number, so a skipped
 * row that could not be read is skipped too), off the front of the rows.
 */
function headerSplitter(file: string, source: ResolvedSource, facts: ExportFacts, handlers: ExportHandlers) {
  let firstResponseRow = Number.POSITIVE_INFINITY;
  let width = 0;
  const push: RowsHandler = (batch) => {
    const rows = batch.rows;
    let start = 0;
    if (firstResponseRow === Number.POSITIVE_INFINITY) {
      const headerProblem = batch.problems.find((problem) => problem.row <= source.headerRows);
      if (headerProblem !== undefined) {
        throw new FileRejectedError(file, `the header (row ${headerProblem.row}) could not be read: ${headerProblem.message}`);
      }
      while (start < batch.length && facts.headerRows.length < source.headerRows) facts.headerRows.push(batch.record(start++));
      if (facts.headerRows.length < source.headerRows) return undefined;
      firstResponseRow = rows[start - 1]! + source.skipRows + 1;
      const names = headerNames(facts.headerRows, source.placeholders);
      width = names.length;
      handlers.header(names, facts.headerRows);
    }
    while (start < batch.length && rows[start]! < firstResponseRow) start++;
    batch.first = start;
    batch.problems = batch.problems.filter((problem) => problem.row >= firstResponseRow);
    if (start >= batch.length && batch.problems.length === 0) return undefined;
    // A worksheet row ends at its last filled cell; a text row always has every field.
    if (facts.format === "xlsx") for (let i = start; i < batch.length; i++) for (const record = batch.record(i); record.length < width; ) record.push("");
    return handlers.responses(batch);
  };
  return {
    push,
    end() {
      if (facts.headerRows.length === 0) throw new FileRejectedError(file, "the file is empty: expected a header row and responses");
      if (firstResponseRow === Number.POSITIVE_INFINITY) throw new FileRejectedError(file, `expected ${source.headerRows} header rows, found ${facts.headerRows.length}`);
    },
  };
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
