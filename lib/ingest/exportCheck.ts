import type { ExportFacts } from "../sources/exportRows.ts";
import { refusalOfAcceptedShare } from "./acceptedShareGuard.ts";
import type { RejectionCollector, RowProblem } from "./rejectionReport.ts";

/** What ingest would make of an export: how it was read, the counts and the problems. */
export interface OtherExportCheck {
  file: string;
  place: string;
  tool: string;
  format: "csv" | "xlsx";
  compression?: "gzip";
  encoding?: string;
  delimiter?: string;
  /** What a person should know although the file was read (cells whose bytes were not valid text, in columns not read). */
  warnings?: string[];
  counts: { rows: number; accepted: number; rejected: number; duplicates: number; incomplete?: number };
  problemsByColumn: Record<string, number>;
  problems: RowProblem[];
  refused?: string;
}

/** An export read by its kind's encoder, as the check sees it. */
export interface CheckedEncoding {
  facts: ExportFacts;
  rows: number;
  accepted: number;
  duplicates: number;
  rejections: RejectionCollector;
}

/**
 * What ingest would make of an encoded export (the same accepted-share guard as ingest), storing
 * nothing: a file without responses or with too few valid rows is refused.
 */
export function checkEncodedExport(encoded: CheckedEncoding, where: { file: string; place: string; tool: string; minimumAcceptedShare: number }): OtherExportCheck {
  const counts = { rows: encoded.rows, accepted: encoded.accepted, rejected: encoded.rejections.rejectedRows, duplicates: encoded.duplicates };
  const refused = encoded.rows === 0 ? "the file has a header row but no responses" : refusalOfAcceptedShare(counts, where.minimumAcceptedShare, encoded.rejections.problemsByColumn);
  return {
    file: where.file,
    place: where.place,
    tool: where.tool,
    format: encoded.facts.format,
    ...(encoded.facts.encoding ? { encoding: encoded.facts.encoding } : {}),
    ...(encoded.facts.delimiter ? { delimiter: encoded.facts.delimiter } : {}),
    ...(encoded.facts.compression ? { compression: encoded.facts.compression } : {}),
    ...(encoded.facts.warnings ? { warnings: encoded.facts.warnings } : {}),
    counts,
    problemsByColumn: encoded.rejections.problemsByColumn,
    problems: encoded.rejections.problems,
    ...(refused === undefined ? {} : { refused }),
  };
}

/** How the file was read, as one line. */
export function readAsLine(result: Pick<OtherExportCheck, "tool" | "format" | "compression" | "encoding" | "delimiter">): string {
  const gzip = result.compression === "gzip" ? "gzipped " : "";
  return `  read as:    ${result.tool} export, ${gzip}${result.format === "xlsx" ? "xlsx workbook" : "delimited text"}${result.encoding ? `, ${result.encoding}` : ""}${result.delimiter ? `, delimiter ${JSON.stringify(result.delimiter)}` : ""}`;
}

/** The counts, the problems by column, the first problems, and whether ingest would accept the file. */
export function countLines(result: Pick<OtherExportCheck, "counts" | "problemsByColumn" | "problems" | "refused" | "warnings">): string[] {
  const c = result.counts;
  const lines = [...(result.warnings ?? []).map((warning) => `  warning: ${warning}`), `  rows ${c.rows}, accepted ${c.accepted}, rejected ${c.rejected}, duplicates ${c.duplicates}${c.incomplete ? `, incomplete (no completion time: left out) ${c.incomplete}` : ""}`];
  for (const [column, n] of Object.entries(result.problemsByColumn).sort((a, b) => b[1] - a[1])) lines.push(`    ${n} problem(s) in ${JSON.stringify(column)}`);
  for (const p of result.problems.slice(0, 10)) lines.push(`    row ${p.row}, ${JSON.stringify(p.column)}: ${JSON.stringify(p.value)}; expected ${p.expected}`);
  if (result.problems.length > 10) lines.push(`    … ${result.problems.length - 10} more (--json lists them)`);
  lines.push(result.refused === undefined ? "  ingest would accept this file" : `  ingest would REFUSE this file: ${result.refused}`);
  return lines;
}

/** The lines `asye check` prints for an export of a kind without a questionnaire's column mapping. */
export function describeOtherCheck(result: OtherExportCheck): string[] {
  return [`${result.file} (${result.place})`, readAsLine(result), ...countLines(result)];
}
