import { createHash } from "node:crypto";
import { decodeText } from "../sources/decodeText.ts";
import { type CsvRecordProblem, CsvTokenizer } from "./csvTokenizer.ts";

export type { CsvRecordProblem } from "./csvTokenizer.ts";

/** Receives records in batches with their row numbers; reading waits for a returned promise (backpressure). */
export type RecordsHandler = (records: string[][], rows: number[], problems: CsvRecordProblem[]) => undefined | Promise<void>;

/** What was read: the raw size and checksum (of the bytes as uploaded) and the number of records. */
export interface CsvReadSummary {
  bytes: number;
  sha256: string;
  records: number;
}

/**
 * Streams comma-separated records out of UTF-8 bytes (with or without BOM) without holding
 * the file, through {@link CsvTokenizer}. Rows are numbered from 1 for the header.
 * Throws FileRejectedError when the bytes are not UTF-8 text.
 *
 * @example await readCsvRecords(body, "recipients/c/leads.csv", (records, rows, problems) => undefined)
 */
export async function readCsvRecords(chunks: AsyncIterable<Uint8Array>, file: string, onRecords: RecordsHandler): Promise<CsvReadSummary> {
  const hash = createHash("sha256");
  let bytes = 0;
  let records = 0;
  const tokenizer = new CsvTokenizer({ delimiter: "," });
  const counted = (async function* () {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  })();
  const deliver = async (text: string, final: boolean) => {
    const tokens = tokenizer.push(text, final);
    records += tokens.records.length;
    if (tokens.records.length > 0 || tokens.problems.length > 0) await onRecords(tokens.records, tokens.rows, tokens.problems);
  };
  for await (const text of decodeText(counted, file, "utf-8", () => undefined)) await deliver(text, false);
  await deliver("", true);
  return { bytes, sha256: hash.digest("hex"), records };
}
