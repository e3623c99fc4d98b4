/**
 * `npm run examples`: also writes examples/exports-by-tool/{tool}/ — the 2025 leads export as
 * each survey tool writes it (header rows, id and time columns, dates, codes, multi-select,
 * encoding, delimiter, xlsx) and a cycle file that reads it with `source.tool` and the export's
 * own headers. Ingesting any of them gives the leads figures of the canonical CSV.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { WINDOWS_1252_HIGH } from "../lib/sources/decodeText.ts";
import { csvLine } from "./csvLine.ts";
import { type CanonicalLeads, canonicalLeads } from "./toolExports/canonicalLeads.ts";
import { type Cell, type ToolLayout, toolLayouts } from "./toolExports/toolLayouts.ts";

/** The folder of the per-tool examples. */
export const TOOL_EXPORTS_FOLDER = "examples/exports-by-tool";

/** The parts of a cycle file this script rewrites. */
interface CycleJson {
  id: string;
  title: string;
  previousCycleId?: string;
  comparisons?: unknown;
  groups: { id: string; source?: unknown }[];
  serviceArea: { childAndFamilyOnly: string[]; both: string[] };
  questionnaire: {
    scales: { id: string; codes?: Record<string, string> }[];
    items: { columns: Record<string, string | undefined> }[];
    subgroupVariables: { columns: Record<string, string | undefined>; subgroups: { values: string[] }[]; unclassified?: string[] }[];
    multiSelect: { options: { id: string; columns: Record<string, string | undefined> }[]; delimited?: Record<string, { column: string; separator: string }> }[];
  };
}

/** The cycle file for a tool's leads export: the 2025 cycle with the export's own column names. */
export function toolCycle(leads: CanonicalLeads, layout: ToolLayout): CycleJson {
  const cycle = structuredClone(leads.cycleJson) as unknown as CycleJson;
  const nameOf = new Map(layout.columns.flatMap((column) => column.canonical.map((canonical) => [canonical, column.name] as const)));
  cycle.id = `asye-cf-2025-${layout.tool}`;
  cycle.title = `${cycle.title} (leads as exported by ${layout.tool})`;
  delete cycle.previousCycleId;
  delete cycle.comparisons;
  const serviceArea = nameOf.get("service_area")!;
  for (const group of cycle.groups) {
    if (group.id === "leads") group.source = { tool: layout.tool, columns: { serviceArea }, ...layout.source };
  }
  const q = cycle.questionnaire;
  for (const item of q.items) if (item.columns.leads !== undefined) item.columns.leads = nameOf.get(item.columns.leads!);
  for (const variable of q.subgroupVariables) if (variable.columns.leads !== undefined) variable.columns.leads = nameOf.get(variable.columns.leads!);
  for (const question of q.multiSelect) {
    const separator = layout.delimited[question.options[0]!.id];
    if (separator !== undefined) {
      question.delimited = { leads: { column: nameOf.get(question.options[0]!.columns.leads!)!, separator } };
      for (const option of question.options) delete option.columns.leads;
    } else for (const option of question.options) if (option.columns.leads !== undefined) option.columns.leads = nameOf.get(option.columns.leads!);
  }
  if (layout.codes) {
    for (const scale of q.scales) scale.codes = layout.codes.scales[scale.id]!;
    const codesFor = (table: Record<string, string>, label: string) => Object.entries(table).filter(([, l]) => l === label).map(([code]) => code);
    cycle.serviceArea = {
      childAndFamilyOnly: cycle.serviceArea.childAndFamilyOnly.flatMap((label: string) => [label, ...codesFor(layout.codes!.serviceArea, label)]),
      both: cycle.serviceArea.both.flatMap((label: string) => [label, ...codesFor(layout.codes!.serviceArea, label)]),
    };
    for (const variable of q.subgroupVariables) {
      for (const subgroup of variable.subgroups) subgroup.values = subgroup.values.flatMap((label: string) => [label, ...codesFor(layout.codes!.ethnicity, label)]);
      // A variable read only to weight by (region) may give none.
      if (variable.unclassified !== undefined) variable.unclassified = variable.unclassified.flatMap((label: string) => [label, ...codesFor(layout.codes!.ethnicity, label)]);
    }
  }
  return cycle;
}

/** The export file's bytes, exactly as the tool writes them. */
export async function toolExportBytes(leads: CanonicalLeads, layout: ToolLayout): Promise<Uint8Array> {
  const headerRows = Array.from({ length: layout.headerRows }, (_, r) => layout.columns.map((column) => column.header[r] ?? ""));
  const rows: Cell[][] = leads.records.map((record, index) => layout.columns.map((column) => column.value(record, index)));
  if (layout.format === "xlsx") {
    const workbook = new ExcelJS.Workbook();
    // Fixed dates, so regenerating the example changes nothing.
    workbook.created = workbook.modified = new Date(Date.UTC(2025, 1, 21, 9));
    const sheet = workbook.addWorksheet("Sheet1");
    for (const row of [...headerRows, ...layout.extraRows, ...rows]) sheet.addRow(row.map((cell) => (cell === "" ? null : cell)));
    sheet.getColumn(2).numFmt = "m/d/yy h:mm:ss";
    sheet.getColumn(3).numFmt = "m/d/yy h:mm:ss";
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  }
  const text = (cell: Cell) => (cell instanceof Date ? cell.toISOString() : cell);
  const lines = [...headerRows, ...layout.extraRows, ...rows.map((row) => row.map(text))];
  if (layout.format === "tsv-utf16le") {
    const tsv = lines.map((line) => line.map((field) => (/[\t"\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join("\t")).join("\r\n");
    return new Uint8Array(Buffer.from(`\uFEFF${tsv}\r\n`, "utf16le"));
  }
  const separator = layout.format === "csv-semicolon" ? ";" : ",";
  const csv = lines
    .map((line) => (separator === "," ? csvLine(line) : line.map((field) => (/[;"\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(";")))
    .join("\r\n");
  const body = `${layout.bom ? "\uFEFF" : ""}${csv}\r\n`;
  return layout.format === "csv-windows-1252" ? encodeWindows1252(body) : new Uint8Array(Buffer.from(body, "utf8"));
}

function encodeWindows1252(text: string): Uint8Array {
  return Uint8Array.from([...text], (char) => {
    const code = char.charCodeAt(0);
    const index = WINDOWS_1252_HIGH.indexOf(char);
    if (index >= 0) return 0x80 + index;
    if (code < 0x100) return code;
    throw new Error(`${char} has no Windows-1252 byte`);
  });
}

async function main(): Promise<void> {
  const leads = canonicalLeads();
  for (const layout of toolLayouts(leads)) {
    const folder = `${TOOL_EXPORTS_FOLDER}/${layout.tool}`;
    mkdirSync(folder, { recursive: true });
    writeFileSync(`${folder}/cycle.json`, `${JSON.stringify(toolCycle(leads, layout), null, 2)}\n`);
    writeFileSync(`${folder}/${layout.file}`, await toolExportBytes(leads, layout));
    console.log(`wrote ${folder}/cycle.json and ${layout.file}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
