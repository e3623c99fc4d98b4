import { MAX_DECOMPRESSED_BYTES } from "../gunzipExport.ts";

/**
 * What a workbook may hold, enforced while it streams (nothing is built past a limit, so any
 * workbook is read, or refused, in bounded memory: docs/operators.md, "Input limits"):
 * - a cell's text, or one shared string: the CSV field limit, 1 MiB of characters;
 * - the shared-strings table (xl/sharedStrings.xml, held while the sheet is read): 64 MiB;
 * - one tag, comment or instruction of the XML: 64 KiB (a cell's tag is some 20 bytes);
 * - a row: Excel's 16,384 columns (A to XFD);
 * - the whole workbook, decompressed: 2 GiB, as for a gzipped export (a zip bomb is refused as
 *   soon as it passes it).
 */
export const WORKBOOK_LIMITS = {
  cellCharacters: 1 << 20,
  sharedStringsBytes: 64 << 20,
  markupBytes: 64 << 10,
  columns: 16_384,
  decompressedBytes: MAX_DECOMPRESSED_BYTES,
} as const;

/** The limits one read applies (tests lower them to stay quick). */
export type WorkbookLimits = { [K in keyof typeof WORKBOOK_LIMITS]: number };

/** A workbook that passes one of {@link WORKBOOK_LIMITS}: the message names where, and the limit. */
export class WorkbookLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkbookLimitError";
  }
}

/** A size for people: `1,048,576 characters`, `64 MiB`. */
export function sizeText(size: number, unit: "characters" | "bytes"): string {
  if (unit === "bytes" && size >= 1 << 20 && size % (1 << 20) === 0) return size >= 1 << 30 && size % (1 << 30) === 0 ? `${size / (1 << 30)} GiB` : `${size / (1 << 20)} MiB`;
  if (unit === "bytes" && size >= 1 << 10 && size % (1 << 10) === 0) return `${size / (1 << 10)} KiB`;
  return `${size.toLocaleString("en-GB")} ${unit}`;
}
