import { sizeText, WorkbookLimitError } from "./workbookLimits.ts";
import type { XmlHandler } from "./xmlScanner.ts";

/** Text is kept in blocks of about this many characters; a string never spans two. */
const BLOCK = 1 << 20;
/** A string's place: its block in the high bits, its start in the block in the low 21 (a block holds up to 2^21 characters). */
const START_BITS = 21;
const NO_TEXT = 0xffffffff;

/**
 * A workbook's shared strings (xl/sharedStrings.xml), kept compactly: their text in blocks of
 * a million characters and two numbers a string (not one string object each, which for a
 * table of millions of short strings would cost several times the text). A string is read out
 * as a slice of its block. An `<si>` with no text at all reads as null, as exceljs had it.
 */
export class SharedStrings {
  private readonly blocks: string[] = [];
  private parts: string[] = [];
  private blockLength = 0;
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;

  /** How many strings the table holds. */
  get size(): number {
    return this.count;
  }

  /** Adds the next string (null: an item without text). */
  add(text: string | null): void {
    if (this.count === this.starts.length) this.grow();
    if (text === null) {
      this.starts[this.count] = NO_TEXT;
      this.lengths[this.count++] = 0;
      return;
    }
    if (this.blockLength + text.length > BLOCK && this.blockLength > 0) this.closeBlock();
    this.starts[this.count] = this.blocks.length * 2 ** START_BITS + this.blockLength;
    this.lengths[this.count++] = text.length;
    this.parts.push(text);
    this.blockLength += text.length;
  }

  /** The table is complete: its last block is joined. */
  finish(): void {
    if (this.parts.length > 0) this.closeBlock();
  }

  /** String `index`, or null when the item has no text or there is no such string. */
  get(index: number): string | null {
    if (!(index >= 0 && index < this.count)) return null;
    const start = this.starts[index]!;
    if (start === NO_TEXT) return null;
    const block = this.blocks[Math.floor(start / 2 ** START_BITS)]!;
    const from = start % 2 ** START_BITS;
    return block.slice(from, from + this.lengths[index]!);
  }

  private closeBlock(): void {
    this.blocks.push(this.parts.join(""));
    this.parts = [];
    this.blockLength = 0;
  }

  private grow(): void {
    const size = Math.ceil(this.starts.length * 1.5);
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.starts = starts;
    this.lengths = lengths;
  }
}

/**
 * Reads xl/sharedStrings.xml into a {@link SharedStrings} table: each `<si>`'s text, its rich
 * text runs joined and its phonetic reading (`<rPh>`) left out. A string longer than the cell
 * limit refuses the workbook as soon as it passes the limit (nothing longer is built).
 */
export class SharedStringsReader implements XmlHandler {
  wantsText = false;
  private inItem = false;
  private inPhonetic = false;
  private item: string | null = null;

  constructor(
    readonly table: SharedStrings,
    private readonly cellCharacters: number,
  ) {}

  open(name: string): void {
    if (name === "si") {
      this.inItem = true;
      this.item = null;
    } else if (name === "rPh") this.inPhonetic = true;
    else if (name === "t" && this.inItem && !this.inPhonetic) this.wantsText = true;
  }

  close(name: string): void {
    if (name === "t") this.wantsText = false;
    else if (name === "rPh") this.inPhonetic = false;
    else if (name === "si" && this.inItem) {
      this.table.add(this.item);
      this.inItem = false;
    }
  }

  text(text: string): void {
    const length = (this.item?.length ?? 0) + text.length;
    if (length > this.cellCharacters) {
      throw new WorkbookLimitError(`its shared string ${this.table.size + 1} (xl/sharedStrings.xml) is longer than the limit of ${sizeText(this.cellCharacters, "characters")} for a cell`);
    }
    this.item = this.item === null ? text : this.item + text;
  }
}
