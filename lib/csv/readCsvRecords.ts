import { createHash } from "node:crypto";
import Papa from "papaparse";
import { FileRejectedError } from "../errors.ts";
import { firstInvalidUtf8Byte } from "./utf8.ts";

/** A problem papaparse found in one record (e.g. an unclosed quote). */
export interface CsvRecordProblem {
  /** Row number in the file, the header being row 1. */
  row: number;
  message: string;
}

/** Receives records in batches; reading waits for a returned promise to settle (backpressure). */
export type RecordsHandler = (
  records: string[][],
  firstRow: number,
  problems: CsvRecordProblem[],
) => undefined | Promise<void>;

/** What was read: the raw size and checksum (of the bytes as uploaded) and the number of records. */
export interface CsvReadSummary {
  bytes: number;
  sha256: string;
  records: number;
}

/**
 * Streams CSV records out of raw bytes without holding the file: UTF-8 with or without BOM,
 * CRLF, LF or CR, RFC 4180 quoting (papaparse's parser, driven chunk by chunk), empty lines
 * skipped. Rows are numbered from 1 for the header.
 * Throws {@link FileRejectedError} when the bytes are not UTF-8 text.
 *
 * @example await readCsvRecords(body, "uploads/c/leads/x.csv", (rows, firstRow) => { ... })
 */
export async function readCsvRecords(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  onRecords: RecordsHandler,
): Promise<CsvReadSummary> {
  const hash = createHash("sha256");
  let bytes = 0;
  let records = 0;
  let parser: Papa.Parser | undefined;
  // The unfinished last row of the text so far (papaparse's own streaming works the same way).
  let partial = "";

  const parse = async (text: string, final: boolean): Promise<void> => {
    parser ??= new Papa.Parser({ delimiter: ",", newline: guessNewline(text) ?? "\n" });
    const results = parser.parse(text, 0, !final) as Papa.ParseResult<string[]>;
    partial = final ? "" : text.substring(results.meta.cursor);
    const firstRow = records + 1;
    // Empty lines are dropped; a problem's row counts only the records kept before it.
    const data: string[][] = [];
    const rowOfIndex: number[] = [];
    for (const record of results.data) {
      rowOfIndex.push(firstRow + data.length);
      if (record.length > 1 || record[0] !== "") data.push(record);
    }
    const problems = results.errors.map((error) => ({
      row: rowOfIndex[error.row ?? 0] ?? firstRow + data.length,
      message: describeParseError(error),
    }));
    records += data.length;
    if (data.length > 0 || problems.length > 0) await onRecords(data, firstRow, problems);
  };

  for await (const text of decodeUtf8(chunks, file, hash, (n) => {
    bytes += n;
  })) {
    const aggregate = partial + text;
    // Wait for the first record end before choosing the newline style.
    if (parser === undefined && guessNewline(aggregate) === undefined) {
      partial = aggregate;
      continue;
    }
    await parse(aggregate, false);
  }
  if (partial.length > 0) await parse(partial, true);
  return { bytes, sha256: hash.digest("hex"), records };
}

/**
 * The line end (CRLF, LF or CR) of the first record end outside quotes, or undefined when the
 * text does not show one yet. Line ends inside quoted fields do not count.
 */
function guessNewline(text: string): "\r\n" | "\n" | "\r" | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) quoted = !quoted;
    else if (!quoted && code === 0x0a) return "\n";
    else if (!quoted && code === 0x0d) {
      if (i + 1 >= text.length) return undefined;
      return text.charCodeAt(i + 1) === 0x0a ? "\r\n" : "\r";
    }
  }
  return undefined;
}

async function* decodeUtf8(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  hash: ReturnType<typeof createHash>,
  counted: (n: number) => void,
): AsyncGenerator<string> {
  // Strips a leading BOM; `fatal` refuses bytes that are not UTF-8 instead of replacing them.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let offset = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    counted(chunk.length);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (error) {
      throw notUtf8(file, chunk, offset, error);
    }
    offset += chunk.length;
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch (error) {
    throw new FileRejectedError(
      file,
      "not UTF-8 text: the file ends part-way through a character",
      { cause: error },
    );
  }
  if (rest.length > 0) yield rest;
}

function notUtf8(
  file: string,
  chunk: Uint8Array,
  offset: number,
  cause: unknown,
): FileRejectedError {
  const at = firstInvalidUtf8Byte(chunk);
  const where =
    at >= 0
      ? ` (byte 0x${chunk[at]!.toString(16).toUpperCase().padStart(2, "0")} at byte offset ${offset + at})`
      : "";
  return new FileRejectedError(
    file,
    `not UTF-8 text${where}: export the file as "CSV UTF-8" and upload it again`,
    { cause },
  );
}

function describeParseError(error: Papa.ParseError): string {
  switch (error.code) {
    case "MissingQuotes":
      return "a quoted field is never closed (missing closing quote)";
    case "InvalidQuotes":
      return "a quote inside a quoted field is not doubled";
    default:
      return error.message;
  }
}
