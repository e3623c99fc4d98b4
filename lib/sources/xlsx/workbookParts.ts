import type { XmlHandler, XmlScanner } from "./xmlScanner.ts";

/** A sheet as xl/workbook.xml lists it, in the order a person sees the tabs. */
export interface SheetListing {
  name: string;
  relationship: string;
}

/**
 * What a workbook's small parts say about its sheets: their names and order (xl/workbook.xml),
 * which part holds each (xl/_rels/workbook.xml.rels), which cell styles show dates
 * (xl/styles.xml), and whether dates count from 1904.
 */
export class WorkbookParts {
  sheets: SheetListing[] | undefined;
  /** Relationship id → part name (`xl/worksheets/sheet1.xml`). */
  targets: Map<string, string> | undefined;
  /** Per cell style (`s`), whether its number format shows a date or time. */
  dateStyles: boolean[] | undefined;
  date1904 = false;

  /** The sheet's name, from the workbook's listing; undefined while it is not known. */
  nameOf(part: string): string | undefined {
    return this.sheets?.find((sheet) => this.targets?.get(sheet.relationship) === part)?.name;
  }

  /** The worksheet parts in the workbook's order (a chart sheet is not one), once the listing and relationships are known. */
  worksheetOrder(): string[] | undefined {
    if (this.sheets === undefined || this.targets === undefined) return undefined;
    return this.sheets.map((sheet) => this.targets!.get(sheet.relationship)).filter((part): part is string => part !== undefined && isWorksheetPart(part));
  }

}

/** Whether a part is a worksheet (`xl/worksheets/….xml`). */
export function isWorksheetPart(name: string): boolean {
  return /^xl\/worksheets\/[^/]+\.xml$/.test(name);
}

/** Reads xl/workbook.xml: the sheets in order, and `date1904`. */
export class WorkbookListingReader implements XmlHandler {
  wantsText = false;
  readonly sheets: SheetListing[] = [];
  date1904 = false;

  constructor(private readonly scanner: () => XmlScanner) {}

  open(name: string): void {
    const scanner = this.scanner();
    if (name === "sheet") this.sheets.push({ name: scanner.attribute("name") ?? `Sheet${this.sheets.length + 1}`, relationship: scanner.attribute("r:id") ?? scanner.attribute("id") ?? "" });
    else if (name === "workbookPr") this.date1904 = ["1", "true"].includes(scanner.attribute("date1904") ?? "");
  }

  close(): void {}
  text(): void {}
}

/** Reads xl/_rels/workbook.xml.rels: relationship id → the part it points to. */
export class RelationshipsReader implements XmlHandler {
  wantsText = false;
  readonly targets = new Map<string, string>();

  constructor(private readonly scanner: () => XmlScanner) {}

  open(name: string): void {
    if (name !== "Relationship") return;
    const scanner = this.scanner();
    const id = scanner.attribute("Id");
    const target = scanner.attribute("Target");
    if (id !== undefined && target !== undefined) this.targets.set(id, partName(target));
  }

  close(): void {}
  text(): void {}
}

/** A relationship's target as a part name: relative to xl/, or absolute from the package's root. */
function partName(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts: string[] = ["xl"];
  for (const piece of target.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== "." && piece !== "") parts.push(piece);
  }
  return parts.join("/");
}

/** Excel's built-in number formats that show dates or times (14-22, 45-47); any other built-in shows a number. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/**
 * Reads xl/styles.xml: for each cell style (`<cellXfs>`'s `<xf>`, in order), whether its number
 * format (built in, or its own `<numFmt>`) shows a date, as exceljs decided it (a format with
 * y, m, d, h, s or b outside quotes and brackets).
 */
export class DateStylesReader implements XmlHandler {
  wantsText = false;
  private readonly formats = new Map<number, string>();
  private readonly formatIds: number[] = [];
  private inCellStyles = false;

  constructor(private readonly scanner: () => XmlScanner) {}

  open(name: string): void {
    const scanner = this.scanner();
    if (name === "numFmt") this.formats.set(Number(scanner.attribute("numFmtId")), scanner.attribute("formatCode") ?? "");
    else if (name === "cellXfs") this.inCellStyles = true;
    else if (name === "xf" && this.inCellStyles) this.formatIds.push(Number(scanner.attribute("numFmtId") ?? 0));
  }

  close(name: string): void {
    if (name === "cellXfs") this.inCellStyles = false;
  }

  text(): void {}

  /** Per cell style, whether it shows a date. */
  dateStyles(): boolean[] {
    return this.formatIds.map((id) => {
      if (!id) return false;
      // An own format of that id first (an empty one counts as none), as exceljs looked it up.
      const own = this.formats.get(id);
      return own ? isDateFormat(own) : BUILT_IN_DATE_FORMATS.has(id);
    });
  }
}

/** exceljs's test of a number format for a date: date or time letters once quoted text and [brackets] are dropped. */
export function isDateFormat(format: string): boolean {
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}
