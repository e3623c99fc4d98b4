import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { FileRejectedError } from "../errors.ts";
import { firstInvalidUtf8Byte } from "./utf8.ts";

/** A problem papaparse found in one record (e.g. an unclosed quote). */
export interface CsvRecordProblem {
  /** Row number in the file, the header being row 1. */
  row: number;
  message: string;
}

/** Receives records in batches; returning a promise pauses reading until it settles. */
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
 * CRLF or LF, RFC 4180 quoting (papaparse). Rows are numbered from 1 for the header.
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
  const text = Readable.from(
    decodeUtf8(chunks, file, hash, (n) => {
      bytes += n;
    }),
  );
  let records = 0;
  let failure: unknown;

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      delimiter: ",",
      header: false,
      skipEmptyLines: true,
      chunk(results) {
        if (failure) return;
        const firstRow = records + 1;
        records += results.data.length;
        const problems = results.errors
          .filter((error) => error.row !== undefined)
          .map((error) => ({
            row: firstRow + (error.row ?? 0),
            message: describeParseError(error),
          }));
        try {
          const pending = onRecords(results.data, firstRow, problems);
          if (pending) {
            text.pause();
            pending.then(
              () => text.resume(),
              (error: unknown) => {
                failure = error;
                text.destroy();
                reject(error);
              },
            );
          }
        } catch (error) {
          failure = error;
          text.destroy();
          reject(error);
        }
      },
      complete: () => {
        if (!failure) resolve();
      },
      error: (error: Error) => {
        failure = error;
        reject(error);
      },
    });
    text.on("error", (error) => {
      failure ??= error;
      reject(error);
    });
  });
  return { bytes, sha256: hash.digest("hex"), records };
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
