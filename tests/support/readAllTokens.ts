import { ByteCsvTokenizer } from "../../lib/csv/byteCsvTokenizer.ts";
import { CsvTokenizer, type CsvTokens } from "../../lib/csv/csvTokenizer.ts";
import type { RecordBatch } from "../../lib/csv/recordBatch.ts";

/** Every record, row and problem of byte pieces read by the byte reader, batches joined. */
export function readBytes(pieces: readonly Uint8Array[], delimiter = ","): CsvTokens {
  const tokenizer = new ByteCsvTokenizer({ delimiter });
  const all: CsvTokens = { records: [], rows: [], problems: [] };
  // A batch's raw lines are decoded before the next piece is pushed, as a consumer must (the bytes are the reader's).
  const add = (batch: RecordBatch) => {
    all.records.push(...batch.records());
    all.rows.push(...batch.rows);
    all.problems.push(...batch.problems);
  };
  for (const piece of pieces) add(tokenizer.push(piece));
  add(tokenizer.push(new Uint8Array(0), true));
  return all;
}

/** Every record, row and problem of text pieces read by the text reader, joined. */
export function readText(pieces: readonly string[], delimiter = ","): CsvTokens {
  const tokenizer = new CsvTokenizer({ delimiter });
  const all: CsvTokens = { records: [], rows: [], problems: [] };
  for (const tokens of [...pieces.map((piece) => tokenizer.push(piece)), tokenizer.push("", true)]) {
    all.records.push(...tokens.records);
    all.rows.push(...tokens.rows);
    all.problems.push(...tokens.problems);
  }
  return all;
}
