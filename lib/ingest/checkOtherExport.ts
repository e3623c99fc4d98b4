import type { AnyCycle } from "../config/parseAnyCycle.ts";
import { encodeEvaluationExport } from "../evaluation360/encodeEvaluationExport.ts";
import { encodeOutcomesExport } from "../outcomes/encodeOutcomesExport.ts";
import { refusalOfAcceptedShare } from "./acceptedShareGuard.ts";
import type { RowProblem } from "./rejectionReport.ts";

/** What ingest would make of a 360 or outcomes export: how it was read, the counts and the problems. */
export interface OtherExportCheck {
  file: string;
  place: string;
  tool: string;
  format: "csv" | "xlsx";
  encoding?: string;
  delimiter?: string;
  counts: { rows: number; accepted: number; rejected: number; duplicates: number };
  problemsByColumn: Record<string, number>;
  problems: RowProblem[];
  refused?: string;
}

/**
 * Reads a 360 or outcomes export exactly as ingest would (the same encoder, the same
 * accepted-share guard) and stores nothing. `place` is the upload's place: `responses` or an
 * organisation id for a 360 cycle, `records` for outcomes. Throws FileRejectedError for a file
 * ingest would reject whole (a missing column, not an export).
 */
export async function checkOtherExport(chunks: AsyncIterable<Uint8Array>, cycle: Exclude<AnyCycle, { kind: "survey" }>, place: string, file: string): Promise<OtherExportCheck> {
  const encoded =
    cycle.kind === "evaluation360"
      ? await encodeEvaluationExport(chunks, { config: cycle.config, slot: place, file, onWriter: (writer) => writer.stream.resume() })
      : await encodeOutcomesExport(chunks, cycle.config, place, file);
  const accepted = "batch" in encoded ? encoded.batch.records.length : encoded.writer.rows;
  if ("writer" in encoded) encoded.writer.end();
  const counts = { rows: encoded.rows, accepted, rejected: encoded.rejections.rejectedRows, duplicates: encoded.duplicates };
  const refused = encoded.rows === 0 ? "the file has a header row but no responses" : refusalOfAcceptedShare(counts, cycle.config.minimumAcceptedShare, encoded.rejections.problemsByColumn);
  return {
    file,
    place,
    tool: cycle.config.source.tool,
    format: encoded.facts.format,
    ...(encoded.facts.encoding ? { encoding: encoded.facts.encoding } : {}),
    ...(encoded.facts.delimiter ? { delimiter: encoded.facts.delimiter } : {}),
    counts,
    problemsByColumn: encoded.rejections.problemsByColumn,
    problems: encoded.rejections.problems,
    ...(refused === undefined ? {} : { refused }),
  };
}
