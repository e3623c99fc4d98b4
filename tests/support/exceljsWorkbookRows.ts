import { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { FileRejectedError } from "../../lib/errors.ts";
import { RecordBatch } from "../../lib/csv/recordBatch.ts";
import type { RowsHandler } from "../../lib/sources/exportRows.ts";

const BATCH = 2_000;

/**
 * The slow twin of lib/sources/readXlsxRows.ts: the reader ingest had before it read workbooks
 * itself (exceljs's streaming reader, no limits), kept so that a differential test holds the
 * two equal on the workbooks exceljs writes. Streams the rows of one worksheet as text cells,
 * numbered as the sheet numbers them. Date cells become the wall-clock time they show;
 * numbers their shortest text; rich text its plain text; formulas their result.
 */
export async function exceljsWorkbookRows(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  sheet: string | undefined,
  onRows: RowsHandler,
): Promise<void> {
  // Loaded only for workbooks: CSV ingests never pay for it (in Lambda it is installed beside the bundle).
  const { default: excel } = await import("exceljs");
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from(chunks), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let found = false;
  let index = 0;
  try {
    for await (const worksheet of reader) {
      index++;
      const name = sheetName(reader, worksheet, index);
      if (found || (sheet !== undefined ? name !== sheet : index > 1)) {
        for await (const _row of worksheet) void _row;
        continue;
      }
      found = true;
      let records: string[][] = [];
      let rows: number[] = [];
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: string[] = new Array<string>(Math.max(0, values.length - 1));
        for (let c = 1; c < values.length; c++) cells[c - 1] = cellText(values[c]);
        if (cells.every((cell) => cell === "")) continue;
        records.push(cells);
        rows.push(row.number);
        if (records.length >= BATCH) {
          await onRows(RecordBatch.of(records, rows, []));
          records = [];
          rows = [];
        }
      }
      if (records.length > 0) await onRows(RecordBatch.of(records, rows, []));
    }
  } catch (error) {
    if (error instanceof FileRejectedError) throw error;
    throw new FileRejectedError(file, `not a readable .xlsx workbook (${(error as Error).message})`, { cause: error });
  }
  if (!found) throw new FileRejectedError(file, sheet === undefined ? "the workbook has no worksheet" : `the workbook has no worksheet named "${sheet}"`);
}

function sheetName(reader: ExcelJS.stream.xlsx.WorkbookReader, worksheet: ExcelJS.stream.xlsx.WorksheetReader, index: number): string {
  const model = (reader as unknown as { model?: { sheets?: { id: number; name: string }[] } }).model;
  const id = (worksheet as unknown as { id?: number | string }).id;
  return model?.sheets?.find((entry) => String(entry.id) === String(id))?.name ?? model?.sheets?.[index - 1]?.name ?? `Sheet${index}`;
}

/** A cell's value as the text a person sees in it. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return wallClock(value);
  if (typeof value === "object") {
    const cell = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (cell.richText) return cell.richText.map((run) => run.text).join("");
    if ("result" in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return cell.error;
  }
  return String(value);
}

/** exceljs gives a date cell as the UTC instant whose UTC fields are the time shown. */
function wallClock(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
