import type { PublishedTable } from "./publishedTable.ts";

/**
 * One published table as CSV (RFC 4180, UTF-8 with a BOM so Excel reads it as UTF-8): one header
 * row, then the rows, so it reads straight into R or a database; suppressed cells keep their
 * [c]. The title and notes are in the workbook.
 */
export function tableCsv(table: PublishedTable): string {
  const field = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns, ...table.rows].map((row) => row.map(field).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
