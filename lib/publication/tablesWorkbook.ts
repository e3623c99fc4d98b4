import type { Worksheet } from "exceljs";
import { type PublishedTable, TABLE_NOTES, type TableCell } from "./publishedTable.ts";

/** What the cover sheet says: the title, what the tables are, where they come from and who to ask. */
export interface WorkbookCover {
  title: string;
  computedAt: string;
  about: readonly string[];
  /** The statistics' source, as a reader would cite it. */
  source: string;
  /** Who answers questions about the tables. */
  contact: string;
  /** The publication date in words (5 March 2025). */
  published: string;
}

/**
 * The same GSS layout for any tables (the Analysis Function's "Releasing statistics in
 * spreadsheets"): a cover sheet with the source, a contact and the publication date in words;
 * a contents sheet linking every table; a notes sheet; then one table per sheet, starting in
 * A1 with its title and the notes that apply, marked up as a named Excel table, its columns as
 * wide as their content (long text wrapped), no merged cells, no blank rows within.
 */
export async function workbookOf(cover: WorkbookCover, tables: readonly PublishedTable[]): Promise<Uint8Array> {
  const { default: excel } = await import("exceljs");
  const workbook = new excel.Workbook();
  workbook.creator = "ASYE survey analytics";
  workbook.created = workbook.modified = new Date(cover.computedAt);
  coverSheet(workbook.addWorksheet("Cover"), cover);
  contentsSheet(workbook.addWorksheet("Contents"), tables);
  const noteIds = Object.keys(TABLE_NOTES) as (keyof typeof TABLE_NOTES)[];
  tableSheet(workbook.addWorksheet("Notes"), {
    id: "notes",
    sheet: "Notes",
    title: "Notes",
    notes: [],
    columns: ["Note number", "Note text"],
    rows: noteIds.map((id, index) => [`note ${index + 1}`, TABLE_NOTES[id]]),
  }, []);
  for (const table of tables) tableSheet(workbook.addWorksheet(table.sheet), table, table.notes.map((id) => noteIds.indexOf(id) + 1));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The cover: the title, then each line its own row (nothing merged), headed as the guidance's cover is. */
function coverSheet(sheet: Worksheet, cover: WorkbookCover): void {
  const rows: [string, boolean][] = [
    [`${cover.title}: results tables`, true],
    ["About these tables", true],
    ...cover.about.map((line): [string, boolean] => [line, false]),
    ["Source", true],
    [cover.source, false],
    ["Contact", true],
    [cover.contact, false],
    ["Publication date", true],
    [cover.published, false],
    ["Sheets", true],
    ["Contents lists every table; Notes explains the notes and symbols; each table has a sheet of its own.", false],
  ];
  rows.forEach(([text, heading], i) => {
    sheet.addRow([text]);
    if (heading) sheet.getCell(`A${i + 1}`).font = { bold: true, size: i === 0 ? 15 : 13 };
  });
  sheet.getColumn(1).width = 110;
  sheet.getColumn(1).alignment = { wrapText: true, vertical: "top" };
}

/** The contents: a linked row per table. */
function contentsSheet(sheet: Worksheet, tables: readonly PublishedTable[]): void {
  tableSheet(sheet, { id: "contents", sheet: "Contents", title: "Contents", notes: [], columns: ["Sheet name", "Table title"], rows: tables.map((t) => [t.sheet, t.title]) }, []);
  tables.forEach((table, i) => {
    sheet.getCell(`A${4 + i}`).value = { text: table.sheet, hyperlink: `#'${table.sheet}'!A1` };
  });
}

/** One table's sheet: title in A1, the notes line in A2, the table from A3 as a named Excel table. */
function tableSheet(sheet: Worksheet, table: PublishedTable, noteNumbers: readonly number[]): void {
  sheet.getCell("A1").value = table.title;
  sheet.getCell("A1").font = { bold: true, size: 13 };
  const refs = [...noteNumbers].sort((a, b) => a - b).map((n) => `[note ${n}]`);
  sheet.getCell("A2").value = `This worksheet contains one table.${refs.length ? ` Notes that apply: ${refs.join(", ")}.` : ""}`;
  const columns = uniqueColumnNames(table.columns);
  sheet.addTable({
    name: tableName(table.sheet),
    ref: "A3",
    headerRow: true,
    style: { theme: "TableStyleLight1", showRowStripes: false },
    columns: columns.map((name) => ({ name, filterButton: false })),
    // An Excel table needs a row; an empty table says so.
    rows: table.rows.length > 0 ? table.rows.map((row) => [...row]) : [columns.map((_, i) => (i === 0 ? "[x] none" : "[x]"))],
  });
  fitColumns(sheet, columns, table.rows);
  sheet.views = [{ state: "frozen", ySplit: 3 }];
}

/** Column widths from their content: the longest cell, between 10 and 60 characters; longer text wraps. */
function fitColumns(sheet: Worksheet, columns: readonly string[], rows: readonly (readonly TableCell[])[]): void {
  columns.forEach((name, i) => {
    const longest = Math.max(name.length, ...rows.map((row) => String(row[i] ?? "").length));
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(60, Math.max(10, longest + 2));
    if (longest + 2 > 60) column.alignment = { wrapText: true, vertical: "top" };
  });
  // The title and notes line are read across the row: A1's width is the first column's.
}

/** An Excel table's name: a letter first, then letters, digits and underscores (unique as the sheet names are). */
export function tableName(sheet: string): string {
  return `T_${sheet.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** Header names an Excel table accepts: unique within the table (a repeat gets " (2)"). */
function uniqueColumnNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((name) => {
    const key = name.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}
