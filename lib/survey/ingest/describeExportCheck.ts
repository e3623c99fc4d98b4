import { countLines, readAsLine } from "../../ingest/exportCheck.ts";
import type { ExportCheck } from "./checkExport.ts";

/** What `asye check` prints of a survey export: how it was read, each field's column, the first responses, the counts. */
export function describeExportCheck(result: ExportCheck): string[] {
  const lines = [
    `${result.file} (group ${result.group})`,
    readAsLine(result),
    `  looks like: ${result.looksLike.length > 0 ? result.looksLike.join(", ") : "(no tool recognised)"}`,
    "  columns:",
    ...result.mapping.map((m) => `    ${m.field.padEnd(36)} ← ${m.column === undefined ? "(row number)" : `column ${m.column}: ${JSON.stringify(m.header)}`}`),
  ];
  if (!result.mapping.some((m) => m.field === "service_area")) lines.push("  service area: no such column in this export: responses are counted without the child and family / both split");
  if (result.dateOrder) lines.push(`  dates:      ${result.dateOrder.order === "dmy" ? "day first" : "month first"}${result.dateOrder.inferred ? " (as every completion time shows; not the tool's default)" : ""}`);
  for (const response of result.sample) {
    lines.push(`  response at row ${response.row}:`);
    for (const field of response.fields) lines.push(`    ${field.field.padEnd(36)} ${JSON.stringify(field.read)} → ${field.understood}`);
  }
  lines.push(...countLines(result));
  return lines;
}
