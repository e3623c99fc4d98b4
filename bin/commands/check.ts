import { createReadStream, readFileSync } from "node:fs";
import { parseAnyCycle } from "../../lib/config/parseAnyCycle.ts";
import { checkExport, type ExportCheck } from "../../lib/survey/ingest/checkExport.ts";
import { checkOtherExport, type OtherExportCheck } from "../../lib/ingest/checkOtherExport.ts";
import type { CliCommand } from "../cli.ts";

/** `asye check`: reads an export as ingest would, storing and publishing nothing. */
export const check: CliCommand = {
  name: "check",
  summary: "Read an export as ingest would, without storing or publishing anything, and say what ingest would make of it.",
  usage: "asye check <cycle.json> <group> <export> [--rows N] [--json]",
  details:
    "Prints the tool, format, encoding and delimiter, the export column of every field, the first responses\n" +
    "as read and as understood, and the counts and problems ingest would give. Exits 1 when ingest would\n" +
    "refuse the file (a file problem, or too few valid rows), 0 otherwise. For a 360 cycle <group> is \"responses\"\n" +
    "or an organisation id, for outcome records \"records\": the counts and problems are shown.",
  options: { rows: { type: "string" }, json: { type: "boolean" } },
  optionHelp: { rows: "how many responses to show decoded (default 3)", json: "print everything as JSON, every problem included" },
  positionals: { min: 3, max: 3 },
  async run(values, [cycleFile, group, exportFile]) {
    const cycle = parseAnyCycle(readFileSync(cycleFile!, "utf8"), cycleFile!);
    if (cycle.kind !== "survey") {
      const result = await checkOtherExport(createReadStream(exportFile!), cycle, group!, exportFile!);
      if (values.json) console.log(JSON.stringify(result, null, 2));
      else console.log(describeOther(result));
      return result.refused === undefined ? 0 : 1;
    }
    const config = cycle.config;
    const rows = values.rows === undefined ? 3 : Number(values.rows);
    const result = await checkExport(createReadStream(exportFile!), config, group!, exportFile!, Number.isInteger(rows) && rows >= 0 ? rows : 3);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else console.log(describe(result));
    return result.refused === undefined ? 0 : 1;
  },
};

function describeOther(result: OtherExportCheck): string {
  return [
    `${result.file} (${result.place})`,
    `  read as:    ${result.tool} export, ${result.format === "xlsx" ? "xlsx workbook" : "delimited text"}${result.encoding ? `, ${result.encoding}` : ""}${result.delimiter ? `, delimiter ${JSON.stringify(result.delimiter)}` : ""}`,
    ...countLines(result),
  ].join("\n");
}

/** The counts, the problems by column, the first problems, and whether ingest would accept the file. */
function countLines(result: Pick<ExportCheck, "counts" | "problemsByColumn" | "problems" | "refused">): string[] {
  const c = result.counts;
  const lines = [`  rows ${c.rows}, accepted ${c.accepted}, rejected ${c.rejected}, duplicates ${c.duplicates}`];
  for (const [column, n] of Object.entries(result.problemsByColumn).sort((a, b) => b[1] - a[1])) lines.push(`    ${n} problem(s) in ${JSON.stringify(column)}`);
  for (const p of result.problems.slice(0, 10)) lines.push(`    row ${p.row}, ${JSON.stringify(p.column)}: ${JSON.stringify(p.value)}; expected ${p.expected}`);
  if (result.problems.length > 10) lines.push(`    … ${result.problems.length - 10} more (--json lists them)`);
  lines.push(result.refused === undefined ? "  ingest would accept this file" : `  ingest would REFUSE this file: ${result.refused}`);
  return lines;
}

function describe(result: ExportCheck): string {
  const lines = [
    `${result.file} (group ${result.group})`,
    `  read as:    ${result.tool} export, ${result.format === "xlsx" ? "xlsx workbook" : "delimited text"}${result.encoding ? `, ${result.encoding}` : ""}${result.delimiter ? `, delimiter ${JSON.stringify(result.delimiter)}` : ""}`,
    `  looks like: ${result.looksLike.length > 0 ? result.looksLike.join(", ") : "(no tool recognised)"}`,
    "  columns:",
    ...result.mapping.map((m) => `    ${m.field.padEnd(36)} ← ${m.column === undefined ? "(row number)" : `column ${m.column}: ${JSON.stringify(m.header)}`}`),
  ];
  for (const response of result.sample) {
    lines.push(`  response at row ${response.row}:`);
    for (const field of response.fields) lines.push(`    ${field.field.padEnd(36)} ${JSON.stringify(field.read)} → ${field.understood}`);
  }
  lines.push(...countLines(result));
  return lines.join("\n");
}
