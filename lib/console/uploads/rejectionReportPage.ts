import { z } from "zod";
import { html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import { dataTable, summaryList, warningText } from "./govukParts.ts";

/** A stored rejection report (`rejects/…`), as the console reads it: with zod, since it is read from the bucket. */
export const storedReportSchema = z.object({
  fileRejected: z.string().optional(),
  rows: z.number(),
  accepted: z.number(),
  rejectedRows: z.number(),
  duplicates: z.array(z.object({ row: z.number(), responseId: z.string(), firstRow: z.number() })),
  problemsByColumn: z.record(z.string(), z.number()),
  problems: z.array(z.object({ row: z.number(), column: z.string(), value: z.string(), expected: z.string() })),
  truncated: z.boolean(),
});

/** A stored rejection report. */
export type StoredReport = z.infer<typeof storedReportSchema>;

/** Where a report is: its cycle, group and upload version. */
export interface ReportPlace {
  cycleId: string;
  group: string;
  etag: string;
}

/** One line of a report as a table and the CSV show it: row, column, problem (duplicates too). */
export function reportLines(report: StoredReport): { row: number; column: string; problem: string }[] {
  return [
    ...report.problems.map((p) => ({ row: p.row, column: p.column, problem: p.value === "" ? `Empty; expected ${p.expected}` : `Found ${JSON.stringify(p.value)}; expected ${p.expected}` })),
    ...report.duplicates.map((d) => ({ row: d.row, column: "response id", problem: `Duplicate of the response at row ${d.firstRow} (${d.responseId}): not counted` })),
  ].sort((a, b) => a.row - b.row);
}

/** The rejection report of one upload as a table (row, column, problem), with its CSV to download. */
export function rejectionReportPage(place: ReportPlace, report: StoredReport, session: Session): string {
  const lines = reportLines(report);
  const title = `Rejection report for ${place.group}`;
  const main = html`<span class="govuk-caption-l">${place.cycleId}</span>
<h1 class="govuk-heading-l">${title}</h1>
${report.fileRejected ? warningText(`The whole file was refused: ${report.fileRejected}`) : ""}
${summaryList([
  ["Rows", String(report.rows)],
  ["Accepted", String(report.accepted)],
  ["Rejected", String(report.rejectedRows)],
  ["Duplicates", String(report.duplicates.length)],
])}
<p class="govuk-body"><a class="govuk-link" href="/cycles/${place.cycleId}/groups/${place.group}/rejections/${place.etag}.csv" download>Download this report as CSV</a></p>
${report.truncated ? html`<p class="govuk-body">Only the first 10,000 problems are listed; the counts by column count them all.</p>` : ""}
${lines.length === 0 ? html`<p class="govuk-body">No row was rejected.</p>` : dataTable({ caption: "Each problem", head: ["Row", "Column", "Problem"], rows: lines.map((line) => [String(line.row), line.column, line.problem]) })}`;
  return layout({ title, session, main, back: { href: `/cycles/${place.cycleId}/uploads`, text: "Uploads" } });
}

/**
 * The report as CSV (UTF-8 with a BOM for Excel): row, column, problem. A cell that starts as a
 * formula would (= + - @) is prefixed with an apostrophe, so a spreadsheet shows it as text.
 */
export function rejectionReportCsv(report: StoredReport): string {
  const field = (value: string | number) => {
    const text = /^[=+\-@\t\r]/.test(String(value)) ? `'${value}` : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [["row", "column", "problem"], ...reportLines(report).map((line) => [line.row, line.column, line.problem])];
  return `\uFEFF${lines.map((line) => line.map(field).join(",")).join("\r\n")}\r\n`;
}
