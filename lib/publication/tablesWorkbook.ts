import { type PublishedTable, TABLE_NOTES } from "./publishedTable.ts";

/** The same GSS layout for any tables: the cover's title, its paragraphs, and when the results were computed. */
export async function workbookOf(cover: { title: string; computedAt: string; about: readonly string[] }, tables: readonly PublishedTable[]): Promise<Uint8Array> {
  const { default: excel } = await import("exceljs");
  const workbook = new excel.Workbook();
  workbook.creator = "ASYE survey analytics";
  workbook.created = workbook.modified = new Date(cover.computedAt);

  const coverSheet = workbook.addWorksheet("Cover");
  const coverRows: string[][] = [
    [`${cover.title}: results tables`],
    ["About these tables"],
    ...cover.about.map((line) => [line]),
    ["Sheets: Contents lists every table; Notes explains the notes and symbols; each table has a sheet of its own."],
  ];
  coverRows.forEach((row) => coverSheet.addRow(row));
  coverSheet.getCell("A1").font = { bold: true, size: 15 };
  coverSheet.getCell("A2").font = { bold: true, size: 13 };
  coverSheet.getColumn(1).width = 110;

  const contents = workbook.addWorksheet("Contents");
  contents.addRow(["Contents"]).font = { bold: true, size: 15 };
  contents.addRow(["This worksheet contains one table."]);
  const contentsHeader = contents.addRow(["Sheet name", "Table title"]);
  contentsHeader.font = { bold: true };
  for (const table of tables) {
    const row = contents.addRow([table.sheet, table.title]);
    row.getCell(1).value = { text: table.sheet, hyperlink: `#'${table.sheet}'!A1` };
  }
  contents.getColumn(1).width = 24;
  contents.getColumn(2).width = 110;

  const notes = workbook.addWorksheet("Notes");
  notes.addRow(["Notes"]).font = { bold: true, size: 15 };
  notes.addRow(["This worksheet contains one table."]);
  notes.addRow(["Note number", "Note text"]).font = { bold: true };
  const noteIds = Object.keys(TABLE_NOTES) as (keyof typeof TABLE_NOTES)[];
  noteIds.forEach((id, index) => notes.addRow([`note ${index + 1}`, TABLE_NOTES[id]]));
  notes.getColumn(1).width = 14;
  notes.getColumn(2).width = 120;

  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.sheet);
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    const refs = table.notes.map((id) => noteIds.indexOf(id) + 1).sort((a, b) => a - b).map((n) => `[note ${n}]`);
    sheet.addRow([`This worksheet contains one table.${refs.length ? ` Notes that apply: ${refs.join(", ")}.` : ""}`]);
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    table.columns.forEach((column, i) => {
      sheet.getColumn(i + 1).width = Math.min(60, Math.max(12, column.length + 2));
    });
    sheet.views = [{ state: "frozen", ySplit: 3 }];
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
