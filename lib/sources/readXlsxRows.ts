import { FileRejectedError } from "../errors.ts";
import { RecordBatch } from "../csv/recordBatch.ts";
import type { RowsHandler } from "./exportRows.ts";
import { SharedStrings, SharedStringsReader } from "./xlsx/sharedStrings.ts";
import { SheetSpool } from "./xlsx/sheetSpool.ts";
import { sizeText, WORKBOOK_LIMITS, WorkbookLimitError, type WorkbookLimits } from "./xlsx/workbookLimits.ts";
import { DateStylesReader, isWorksheetPart, RelationshipsReader, WorkbookListingReader, WorkbookParts } from "./xlsx/workbookParts.ts";
import { WorksheetRowsReader } from "./xlsx/worksheetRows.ts";
import { type XmlHandler, XmlScanner } from "./xlsx/xmlScanner.ts";
import { ByteSource, DecompressedBudget, type EntrySink, nextEntry, readEntry, skipEntry, type ZipEntry } from "./xlsx/zipEntries.ts";

/** Rows handed on at a time, or fewer when they hold this many characters. */
const BATCH = 2_000;
const BATCH_CHARACTERS = 8 << 20;

/**
 * Streams the rows of one worksheet of an .xlsx export as text cells, numbered as the sheet
 * numbers them, without holding the workbook: its zip entries are inflated and their XML read
 * as they stream in (lib/sources/xlsx/). The sheet is the one named, or the first tab. Date
 * cells become the wall-clock time they show (`2025-01-20 10:15:32`), read in the cycle's time
 * zone like every other time; numbers their shortest text; rich text its plain text; formulas
 * their result ({@link WorksheetRowsReader}). Memory is bounded whatever the file: a workbook
 * past one of {@link WORKBOOK_LIMITS} (a cell over 1 MiB of characters, shared strings over
 * 64 MiB, a zip bomb) is refused as soon as it passes it, with a message naming where and the
 * limit. A sheet written before the parts it needs (as Excel writes them) waits, compressed,
 * in a temporary file. Throws {@link FileRejectedError}.
 */
export async function readXlsxRows(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  sheet: string | undefined,
  onRows: RowsHandler,
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<void> {
  const reading = new WorkbookReading(sheet, onRows, limits);
  try {
    await reading.read(new ByteSource(chunks));
  } catch (error) {
    if (error instanceof FileRejectedError) throw error;
    if (error instanceof WorkbookLimitError) throw new FileRejectedError(file, `the workbook is refused: ${error.message}`, { cause: error });
    throw new FileRejectedError(file, `not a readable .xlsx workbook (${(error as Error).message})`, { cause: error });
  } finally {
    await reading.spool.remove();
  }
  if (!reading.found) throw new FileRejectedError(file, sheet === undefined ? "the workbook has no worksheet" : `the workbook has no worksheet named "${sheet}"`);
}

/** One workbook as it streams: its small parts noted, the wanted sheet read, or kept for later. */
class WorkbookReading {
  readonly spool = new SheetSpool();
  found = false;
  private readonly book = new WorkbookParts();
  private sharedStrings: SharedStrings | undefined;
  private readonly budget: DecompressedBudget;

  constructor(
    private readonly sheet: string | undefined,
    private readonly onRows: RowsHandler,
    private readonly limits: WorkbookLimits,
  ) {
    this.budget = new DecompressedBudget(limits.decompressedBytes);
  }

  /** Reads every entry, then the wanted sheet if it had to wait; reads the file to its end. */
  async read(source: ByteSource): Promise<void> {
    for (let entry = await nextEntry(source); entry !== undefined; entry = await nextEntry(source)) await this.part(source, entry);
    await source.drain();
    if (!this.found) await this.readKeptSheet();
  }

  private async part(source: ByteSource, entry: ZipEntry): Promise<void> {
    switch (entry.name) {
      case "xl/workbook.xml": {
        const listing = await this.readXml(source, entry, (scanner) => new WorkbookListingReader(scanner));
        this.book.sheets = listing.sheets;
        this.book.date1904 = listing.date1904;
        return;
      }
      case "xl/_rels/workbook.xml.rels":
        this.book.targets = (await this.readXml(source, entry, (scanner) => new RelationshipsReader(scanner))).targets;
        return;
      case "xl/styles.xml":
        this.book.dateStyles = (await this.readXml(source, entry, (scanner) => new DateStylesReader(scanner))).dateStyles();
        return;
      case "xl/sharedStrings.xml":
        this.sharedStrings = await this.readSharedStrings(source, entry);
        return;
    }
    if (isWorksheetPart(entry.name)) await this.worksheet(source, entry);
    else await skipEntry(source, entry, this.budget);
  }

  /** A worksheet: read now if it is the one wanted and everything it needs has come; kept if that is not known yet. */
  private async worksheet(source: ByteSource, entry: ZipEntry): Promise<void> {
    const wanted = this.found ? "no" : this.isWanted(entry.name);
    if (wanted === "no") return skipEntry(source, entry, this.budget);
    if (wanted === "yes" && this.book.dateStyles !== undefined && this.sharedStrings !== undefined) {
      this.found = true;
      await this.readSheet(source, entry, this.book.nameOf(entry.name)!, this.budget);
      return;
    }
    await this.spool.keep(source, entry, this.budget);
  }

  /** Whether the part is the sheet to read, by the workbook's listing ("unknown" until it and its relationships have come). */
  private isWanted(part: string): "yes" | "no" | "unknown" {
    const order = this.book.worksheetOrder();
    if (order === undefined || order.length === 0) return "unknown";
    if (this.sheet === undefined) return order[0] === part ? "yes" : "no";
    return this.book.nameOf(part) === this.sheet ? "yes" : "no";
  }

  /** After the last entry: the wanted sheet, if it was kept. */
  private async readKeptSheet(): Promise<void> {
    const index = this.keptIndex();
    if (index < 0) return;
    const kept = this.spool.sheets[index]!;
    this.found = true;
    const { source, entry } = this.spool.reopen(kept);
    await this.readSheet(source, entry, this.keptName(kept.part, index));
  }

  /** Which kept sheet is wanted: by name, or the first in the workbook's order (the first kept when it lists none); -1 for none. */
  private keptIndex(): number {
    const kept = this.spool.sheets;
    if (this.sheet !== undefined) return kept.findIndex((sheet, i) => this.keptName(sheet.part, i) === this.sheet);
    const first = this.book.worksheetOrder()?.find((part) => kept.some((sheet) => sheet.part === part));
    return first === undefined ? (kept.length > 0 ? 0 : -1) : kept.findIndex((sheet) => sheet.part === first);
  }

  /** A kept sheet's name: the workbook's, or `Sheet1`, `Sheet2`… in the order they came when it names none. */
  private keptName(part: string, index: number): string {
    return this.book.nameOf(part) ?? `Sheet${index + 1}`;
  }

  /** Reads the sheet's rows, handing them on in batches (the budget counts the inflated bytes when given: a kept sheet's were counted as it was kept). */
  private async readSheet(source: ByteSource, entry: ZipEntry, name: string, budget?: DecompressedBudget): Promise<void> {
    const context = { name, sharedStrings: this.sharedStrings, dateStyles: this.book.dateStyles ?? [], date1904: this.book.date1904 };
    const rows: WorksheetRowsReader = new WorksheetRowsReader(() => scanner, context, this.limits);
    const scanner = new XmlScanner(rows, entry.name, this.limits.markupBytes);
    const sink: EntrySink = {
      piece: (bytes) => scanner.push(bytes),
      afterSlice: () => (rows.records.length >= BATCH || rows.characters >= BATCH_CHARACTERS ? this.handOn(rows) : undefined),
    };
    await readEntry(source, entry, sink, budget);
    scanner.end();
    await this.handOn(rows);
  }

  private async handOn(rows: WorksheetRowsReader): Promise<void> {
    if (rows.records.length === 0) return;
    const batch = RecordBatch.of(rows.records, rows.rows, []);
    rows.records = [];
    rows.rows = [];
    rows.characters = 0;
    await this.onRows(batch);
  }

  /** xl/sharedStrings.xml into a table, refused once its XML passes the limit. */
  private async readSharedStrings(source: ByteSource, entry: ZipEntry): Promise<SharedStrings> {
    const reader = new SharedStringsReader(new SharedStrings(), this.limits.cellCharacters);
    const scanner = new XmlScanner(reader, entry.name, this.limits.markupBytes);
    let bytes = 0;
    const piece = (data: Buffer) => {
      bytes += data.length;
      if (bytes > this.limits.sharedStringsBytes) {
        throw new WorkbookLimitError(`its shared strings (xl/sharedStrings.xml) are larger than the limit of ${sizeText(this.limits.sharedStringsBytes, "bytes")}`);
      }
      scanner.push(data);
    };
    await readEntry(source, entry, { piece }, this.budget);
    scanner.end();
    reader.table.finish();
    return reader.table;
  }

  /** One of the small parts, read by its handler (which reads attributes through the scanner). */
  private async readXml<Handler extends XmlHandler>(source: ByteSource, entry: ZipEntry, make: (scanner: () => XmlScanner) => Handler): Promise<Handler> {
    const handler: Handler = make(() => scanner);
    const scanner = new XmlScanner(handler, entry.name, this.limits.markupBytes);
    await readEntry(source, entry, { piece: (bytes) => scanner.push(bytes) }, this.budget);
    scanner.end();
    return handler;
  }
}
