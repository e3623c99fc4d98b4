import type { SharedStrings } from "./sharedStrings.ts";
import { sizeText, WorkbookLimitError, type WorkbookLimits } from "./workbookLimits.ts";
import type { XmlHandler, XmlScanner } from "./xmlScanner.ts";

/** What reading a sheet's cells needs from the rest of the workbook. */
export interface SheetContext {
  /** The sheet's name, for messages. */
  name: string;
  sharedStrings: SharedStrings | undefined;
  dateStyles: readonly boolean[];
  date1904: boolean;
}

/** The cell being read (one object, reused from cell to cell). */
interface Cell {
  column: number;
  type: string;
  style: number;
  formula: boolean;
  /** `<v>`'s text, or undefined when the cell has none. */
  value: string | undefined;
  /** An inline string's text (`<is>`), its runs joined, or undefined. */
  inline: string | undefined;
}

/**
 * Reads a worksheet's XML into rows of cells as text, a person sees them: shared and inline
 * strings, numbers their shortest text, dates (by their cell style's number format) the
 * wall-clock time they show (`2025-01-20 10:15:32`), booleans TRUE or FALSE, errors as written
 * (`#N/A`), formulas their cached result. Rows with no text are left out; a row ends at its last
 * cell with a value. Limits, checked as the text comes: a cell's text, a row's (four times a
 * cell's, as for CSV), and the columns of a row.
 */
export class WorksheetRowsReader implements XmlHandler {
  wantsText = false;
  /** Rows read and not handed on yet, their sheet row numbers, and their characters (and cells). */
  records: string[][] = [];
  rows: number[] = [];
  characters = 0;
  private inSheetData = false;
  private rowNumber = 0;
  private cells: string[] | undefined;
  private rowCharacters = 0;
  private cellCount = 0;
  private nextColumn = 0;
  private inCell = false;
  private readonly cell: Cell = { column: 0, type: "", style: 0, formula: false, value: undefined, inline: undefined };
  private inInline = false;
  private inPhonetic = false;

  constructor(
    private readonly scanner: () => XmlScanner,
    private readonly sheet: SheetContext,
    private readonly limits: WorkbookLimits,
  ) {}

  open(name: string): void {
    if (name === "sheetData") this.inSheetData = true;
    else if (name === "row" && this.inSheetData) this.openRow();
    else if (name === "c" && this.cells !== undefined) this.openCell();
    else if (!this.inCell) return;
    else if (name === "v") {
      this.cell.value = "";
      this.wantsText = true;
    } else if (name === "f") this.cell.formula = true;
    else if (name === "is") {
      this.inInline = true;
      this.cell.inline = "";
    } else if (name === "rPh") this.inPhonetic = true;
    else if (name === "t" && this.inInline && !this.inPhonetic) this.wantsText = true;
  }

  close(name: string): void {
    if (name === "v" || name === "t") this.wantsText = false;
    else if (name === "rPh") this.inPhonetic = false;
    else if (name === "is") this.inInline = false;
    else if (name === "c") this.closeCell();
    else if (name === "row") this.closeRow();
    else if (name === "sheetData") this.inSheetData = false;
  }

  text(text: string): void {
    const cell = this.cell;
    const read = cell.inline !== undefined && this.inInline ? cell.inline : (cell.value ?? "");
    if (read.length + text.length > this.limits.cellCharacters) {
      throw new WorkbookLimitError(`sheet "${this.sheet.name}", cell ${columnName(cell.column)}${this.rowNumber}: a cell longer than the limit of ${sizeText(this.limits.cellCharacters, "characters")}`);
    }
    if (cell.inline !== undefined && this.inInline) cell.inline += text;
    else cell.value = read + text;
  }

  private openRow(): void {
    const r = this.scanner().attributeInteger("r");
    this.rowNumber = r > 0 ? r : this.rowNumber + 1;
    this.cells = [];
    this.rowCharacters = 0;
    this.cellCount = 0;
    this.nextColumn = 0;
  }

  private openCell(): void {
    const scanner = this.scanner();
    const column = columnOf(scanner) ?? this.nextColumn;
    if (column >= this.limits.columns || ++this.cellCount > this.limits.columns) {
      throw new WorkbookLimitError(`sheet "${this.sheet.name}", row ${this.rowNumber}: a cell beyond column ${columnName(this.limits.columns - 1)}, the last of the ${this.limits.columns.toLocaleString("en-GB")} columns a sheet may have`);
    }
    this.nextColumn = column + 1;
    const style = scanner.attributeInteger("s");
    const cell = this.cell;
    cell.column = column;
    cell.type = scanner.attributeToken("t") ?? "";
    cell.style = style > 0 ? style : 0;
    cell.formula = false;
    cell.value = undefined;
    cell.inline = undefined;
    this.inCell = true;
  }

  private closeCell(): void {
    if (!this.inCell) return;
    this.inCell = false;
    this.inInline = false;
    this.wantsText = false;
    const text = cellText(this.cell, this.sheet);
    if (text === null) return;
    this.rowCharacters += text.length;
    if (this.rowCharacters > 4 * this.limits.cellCharacters) {
      throw new WorkbookLimitError(`sheet "${this.sheet.name}", row ${this.rowNumber}: a row longer than the limit of ${sizeText(4 * this.limits.cellCharacters, "characters")}`);
    }
    this.cells![this.cell.column] = text;
  }

  private closeRow(): void {
    const cells = this.cells;
    if (cells === undefined) return;
    this.cells = undefined;
    let filled = false;
    for (let c = 0; c < cells.length; c++) {
      if (cells[c] === undefined) cells[c] = "";
      else if (cells[c] !== "") filled = true;
    }
    if (!filled) return;
    this.records.push(cells);
    this.rows.push(this.rowNumber);
    // A cell costs its slot in the row as well as its text.
    this.characters += this.rowCharacters + cells.length;
  }
}

/**
 * A cell's text, or null when it holds no value. As exceljs read it, but for a formula without a
 * cached result (empty here, "[object Object]" there), a formula's boolean or error result (TRUE
 * or `#N/A`, not "NaN"), an inline string's rich-text runs (all of them, not the last), entities
 * (decoded once, not twice: `&amp;lt;` is "&lt;") and an ISO date cell (`t="d"`, its text).
 */
function cellText(cell: Cell, sheet: SheetContext): string | null {
  const value = cell.value;
  if (cell.formula) {
    if (value === undefined) return "";
    return cell.type === "str" || cell.type === "e" ? value : cell.type === "b" ? booleanText(value) : String(parseFloat(value));
  }
  if (cell.inline !== undefined) return cell.inline;
  if (value === undefined) return null;
  switch (cell.type) {
    case "s":
      return sheet.sharedStrings?.get(parseInt(value, 10)) ?? null;
    case "str":
    case "inlineStr":
    case "e":
    case "d":
      return value;
    case "b":
      return booleanText(value);
    default:
      return sheet.dateStyles[cell.style] === true ? wallClock(excelDate(parseFloat(value), sheet.date1904)) : String(parseFloat(value));
  }
}

function booleanText(value: string): string {
  return parseInt(value, 10) !== 0 ? "TRUE" : "FALSE";
}

/** The instant whose UTC fields are the wall-clock time an Excel serial date shows (exceljs's excelToDate). */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** The time a date cell shows, `2025-01-20 10:15:32`, read in the cycle's time zone like every other time. */
export function wallClock(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/**
 * The 0-based column of the cell's reference (`r="B7"` → 1), read from the tag's bytes; undefined
 * when it has none, or no column letters.
 */
function columnOf(scanner: XmlScanner): number | undefined {
  const start = scanner.findAttribute("r");
  if (start < 0) return undefined;
  const bytes = scanner.tagBytes;
  let column = 0;
  let at = start;
  for (; at < scanner.valueEnd; at++) {
    const code = bytes[at]! | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    // More than three letters is past XFD: the limit check refuses it, however long the reference.
    if (at - start >= 4) return Number.MAX_SAFE_INTEGER;
    column = column * 26 + (code - 0x60);
  }
  return at === start ? undefined : column - 1;
}

/** A column's letters (0 → A, 16,383 → XFD). */
function columnName(column: number): string {
  let name = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
