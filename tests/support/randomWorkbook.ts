import ExcelJS from "exceljs";

/** Cell values chosen to hurt: text with markup characters and every script, blanks, numbers of every size, dates, booleans, formulas, errors, rich text. */
const TEXTS = ["", " ", "Agree", "Strongly agree", "a<b>c", 'say "hi"', "x & y", "it's", "é日本語😀", "  spaced  ", "line\nbreak", "tab\there", "0012", "1e5", "TRUE", "#N/A", "-"];
/** Characters for random text: never `;`, so no text looks like an entity (exceljs decoded inline strings' entities twice). */
const LETTERS = [..."abcXYZ019 -_éü日😀<>&\"'"];

/** One random cell value; rich text only where the workbook has shared strings (exceljs read only the last run of an inline string). */
function randomValue(random: () => number, sharedStrings: boolean): ExcelJS.CellValue {
  const kind = random();
  if (kind < 0.15) return null;
  if (kind < 0.45) return TEXTS[Math.floor(random() * TEXTS.length)]!;
  if (kind < 0.55) return Array.from({ length: 1 + Math.floor(random() * 12) }, () => LETTERS[Math.floor(random() * LETTERS.length)]).join("");
  if (kind < 0.68) return [0, 1, -3, 2.5, 1 / 3, 1e-7, 123456789012, -0.000125, 45677.43][Math.floor(random() * 9)]! * (random() < 0.5 ? 1 : 7);
  if (kind < 0.78) return new Date(Date.UTC(2000 + Math.floor(random() * 30), Math.floor(random() * 12), 1 + Math.floor(random() * 28), Math.floor(random() * 24), Math.floor(random() * 60), Math.floor(random() * 60)));
  if (kind < 0.83) return random() < 0.5;
  // A result of 0 read as "[object Object]" in exceljs (it dropped falsy results): not compared.
  if (kind < 0.88) return { formula: "A1+1", result: 1 + Math.floor(random() * 100) };
  if (kind < 0.91) return { formula: 'CONCAT("a","b")', result: "ab" };
  if (kind < 0.94) return { error: "#N/A" } as ExcelJS.CellErrorValue;
  if (kind < 0.97 && sharedStrings) return { richText: [{ text: "bold", font: { bold: true } }, { text: " and plain" }] };
  return { text: "a link", hyperlink: "https://example.org/" };
}

/** A random workbook as exceljs writes it (streamed or whole, with shared strings or inline), with its sheets' names. */
export async function randomWorkbook(random: () => number): Promise<{ bytes: Uint8Array; sheets: string[] }> {
  const sharedStrings = random() < 0.6;
  const streamed = random() < 0.7;
  const sheets = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => (i === 0 && random() < 0.3 ? "Responses & more" : `Sheet ${i + 1}`));
  const fill = (sheet: ExcelJS.Worksheet, commit: boolean) => {
    for (let r = Math.floor(random() * 25); r > 0; r--) {
      const values = Array.from({ length: Math.floor(random() * 9) }, () => randomValue(random, sharedStrings));
      const row = random() < 0.1 ? sheet.addRow([]) : sheet.addRow(values);
      values.forEach((value, c) => {
        if (value instanceof Date) row.getCell(c + 1).numFmt = random() < 0.5 ? "yyyy-mm-dd hh:mm:ss" : "dd/mm/yyyy";
      });
      if (commit) row.commit();
    }
  };
  if (streamed) {
    const chunks: Buffer[] = [];
    const { Writable } = await import("node:stream");
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) });
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: sharedStrings, useStyles: true });
    for (const name of sheets) {
      const sheet = workbook.addWorksheet(name);
      fill(sheet, true);
      sheet.commit();
    }
    await workbook.commit();
    return { bytes: new Uint8Array(Buffer.concat(chunks)), sheets };
  }
  const workbook = new ExcelJS.Workbook();
  if (random() < 0.3) workbook.properties.date1904 = true;
  for (const name of sheets) fill(workbook.addWorksheet(name), false);
  return { bytes: new Uint8Array(await workbook.xlsx.writeBuffer()), sheets };
}
