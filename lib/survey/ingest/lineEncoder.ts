import { dateOrdersOfBytes } from "../../sources/dateTimeBytes.ts";
import { DATE_ORDER_BITS, dateOrdersOf } from "../../sources/dateColumn.ts";
import { codeOf, encodeDelimitedCell, optionChoice, optionSpellings, type RowProblem } from "./encodeRow.ts";
import type { CodedColumn, DelimitedAnswer, ExportLayout } from "./exportLayout.ts";
import { SpellingTable } from "./spellingTable.ts";

/** What the line encoder does with each column of the export. */
const Role = {
  Other: 0,
  ResponseId: 1,
  SubmittedAt: 2,
  /** An item or subgroup variable: blank is 0. */
  Coded: 3,
  /** The service area: blank or "not answered" is a problem. */
  Required: 4,
  /** One option's own column: its code sets the option's bit. */
  Option: 5,
  /** A multi-select answer in one cell. */
  Delimited: 6,
} as const;
type Role = (typeof Role)[keyof typeof Role];

/**
 * The byte-level twin of {@link encodeRow} for a line read without quotes (a RecordBatch's raw
 * lines): each cell is matched in place against its column's spellings ({@link SpellingTable}),
 * the completion time is checked as bytes, and no string is made. The rare cell that is none of
 * its column's spellings as it stands (`Agree `, `don’t know`) is decoded and read as encodeRow
 * reads it. It takes exactly the lines encodeRow accepts, encoded to the same bytes (a
 * differential fuzz test holds it to that); a line with any problem it declines, and encodeRow
 * reads and reports that line as text. It declines a blank completion time too where the
 * source leaves incomplete responses out: the caller leaves that response out before encodeRow.
 */
export class LineEncoder {
  /**
   * Where the response id is in the line last encoded: bytes [idStart, idEnd), trimmed; or, when
   * it had spaces or other than ASCII at its ends, `idText`, the id decoded and trimmed.
   */
  idStart = -1;
  idEnd = -1;
  idText: string | undefined;
  /** The orders the completion time of the line last encoded can be read in (bits of DATE_ORDER_BITS), and where it is. */
  dateOrders = 0;
  dateStart = -1;
  dateEnd = -1;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private readonly problems: RowProblem[] = [];

  private constructor(
    private readonly roles: Uint8Array,
    /** The spelling set of each matched column, and where its byte (and bit) goes. */
    private readonly sets: Int32Array,
    /** How a matched column reads a cell that is none of its spellings (undefined: not valid). */
    private readonly readers: (((cell: string) => number | undefined) | undefined)[],
    private readonly offsets: Int32Array,
    private readonly bits: Int32Array,
    private readonly table: SpellingTable,
    private readonly delimited: (DelimitedAnswer | undefined)[],
    /** Row bytes cleared before a line is encoded (the multi-select bits). */
    private readonly cleared: Int32Array,
    private readonly delimiter: number,
    /** Whether a blank completion time is a response like any other (the source's incomplete: include). */
    private readonly keepsIncomplete: boolean,
  ) {}

  /**
   * The encoder of lines of this export, or undefined when the layout reads one column in two
   * ways (then every line goes through encodeRow).
   */
  static for(layout: ExportLayout, delimiter: string): LineEncoder | undefined {
    const count = layout.columnCount;
    const roles = new Uint8Array(count);
    const sets: ReadonlyMap<string, number>[] = [];
    // Each matched column's spelling set: its place in `sets` until the table is made, then the table's (-1: none).
    const setOf = new Int32Array(count).fill(-1);
    const offsets = new Int32Array(count);
    const bits = new Int32Array(count);
    const delimited: (DelimitedAnswer | undefined)[] = new Array<DelimitedAnswer | undefined>(count);
    const readers: (((cell: string) => number | undefined) | undefined)[] = new Array(count);
    let conflict = false;
    const assign = (column: number, role: Role, offset = 0, spellings?: ReadonlyMap<string, number>, read?: (cell: string) => number | undefined) => {
      if (column < 0) return;
      if (roles[column] !== Role.Other) conflict = true;
      roles[column] = role;
      offsets[column] = offset;
      readers[column] = read;
      if (spellings !== undefined) {
        setOf[column] = sets.length;
        sets.push(spellings);
      }
    };
    assign(layout.responseId, Role.ResponseId);
    assign(layout.submittedAt, Role.SubmittedAt);
    const serviceArea = layout.serviceArea;
    const required = (code: number | undefined) => (code === undefined || code === 0 ? undefined : code);
    assign(serviceArea.column, Role.Required, serviceArea.offset, spellingsOf(serviceArea, (code) => code > 0), (cell) => required(codeOf(serviceArea, cell)));
    for (const column of [...layout.items, ...layout.subgroupVariables]) assign(column.column, Role.Coded, column.offset, spellingsOf(column, () => true), (cell) => codeOf(column, cell));
    // Without a service-area column, its byte is 0 (not asked) in every row.
    const cleared: number[] = serviceArea.column < 0 ? [serviceArea.offset] : [];
    for (const question of layout.multiSelect) {
      for (let byte = 0; byte < (question.optionCount + 7) >> 3; byte++) cleared.push(question.offset + byte);
      if (question.delimited !== undefined) {
        assign(question.delimited.column, Role.Delimited, question.offset);
        delimited[question.delimited.column] = question.delimited;
        continue;
      }
      for (const option of question.options) {
        const spellings = new Map<string, number>();
        for (const spelling of optionSpellings(option)) {
          const chosen = optionChoice(option, spelling);
          if (chosen !== undefined && !spellings.has(spelling)) spellings.set(spelling, chosen);
        }
        assign(option.column, Role.Option, question.offset + (option.index >> 3), spellings, (cell) => optionChoice(option, cell));
        bits[option.column] = 1 << (option.index & 7);
      }
    }
    if (conflict) return undefined;
    // A spelling with the delimiter in it spans two fields of a line without quotes: matched in
    // place it would hide the field too many that encodeRow reports. Such cells go the text way.
    const inOneField = sets.map((set) => new Map([...set].filter(([spelling]) => !spelling.includes(delimiter))));
    const { table, ids } = SpellingTable.of(inOneField);
    for (let column = 0; column < count; column++) if (setOf[column]! >= 0) setOf[column] = ids[setOf[column]!]!;
    return new LineEncoder(roles, setOf, readers, offsets, bits, table, delimited, Int32Array.from(cleared), delimiter.charCodeAt(0), !layout.excludesIncomplete);
  }

  /**
   * Encodes the line, bytes [start, end) of `buffer`, into `target` at `at` when it is a valid
   * response as it stands; returns false otherwise (the bytes written are then to be ignored).
   */
  encode(buffer: Buffer, start: number, end: number, target: Uint8Array, at: number): boolean {
    this.readFrom(buffer);
    const roles = this.roles;
    const cleared = this.cleared;
    for (let k = 0; k < cleared.length; k++) target[at + cleared[k]!] = 0;
    let s = start;
    for (let c = 0; c < roles.length; c++) {
      // Fewer fields than columns.
      if (s > end) return false;
      const role = roles[c]!;
      if (role === Role.Coded || role === Role.Option || role === Role.Required) {
        s = this.codedCell(buffer, c, role, s, end, target, at);
        if (s < 0) return false;
        continue;
      }
      const e = fieldEnd(this.bytes, s, end, this.delimiter);
      if (role === Role.ResponseId) {
        if (!this.noteResponseId(buffer, s, e)) return false;
      } else if (role === Role.SubmittedAt) {
        if (!this.isSubmittedAt(buffer, s, e)) return false;
      } else if (role === Role.Delimited) {
        if (!this.encodeDelimited(buffer, c, s, e, target, at)) return false;
      }
      s = e + 1;
    }
    // Past the last field's end: the line's end, or one empty field more after a trailing delimiter.
    return s >= end;
  }

  /** Reads lines from this buffer from now on (the views are made again only when the buffer changes). */
  private readFrom(buffer: Buffer): void {
    if (buffer.buffer === this.bytes.buffer && buffer.byteOffset === this.bytes.byteOffset && buffer.length === this.bytes.length) return;
    // Element reads on a plain byte array are what V8 optimises best (a Buffer is a subclass).
    this.bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
  }

  /**
   * Column `c`'s cell, starting at `s`, matched among its spellings (or, rarely, read as text)
   * and its code written (an option's sets its bit). Gives where the next cell starts, or -1
   * when the cell is not valid.
   */
  private codedCell(buffer: Buffer, c: number, role: number, s: number, end: number, target: Uint8Array, at: number): number {
    const bytes = this.bytes;
    const delimiter = this.delimiter;
    let code = 0;
    let next: number;
    if (s === end || bytes[s] === delimiter) {
      if (role === Role.Required) return -1;
      next = s + 1;
    } else {
      const table = this.table;
      const found = table.match(bytes, this.view, s, end, this.sets[c]!, delimiter);
      if (found >= 0) {
        code = table.codes[found]!;
        next = s + table.lengths[found]! + 1;
      } else {
        // The rare cell none of the spellings is as it stands: read as text (normalized).
        const e = fieldEnd(bytes, s, end, delimiter);
        const read = this.readers[c]!(buffer.toString("utf8", s, e));
        if (read === undefined) return -1;
        code = read;
        next = e + 1;
      }
    }
    if (role !== Role.Option) target[at + this.offsets[c]!] = code;
    else if (code !== 0) target[at + this.offsets[c]!]! |= this.bits[c]!;
    return next;
  }

  /** The response id, bytes [s, e): where it is, or its text when its ends need trimming; false when blank. */
  private noteResponseId(buffer: Buffer, s: number, e: number): boolean {
    const bytes = this.bytes;
    this.idStart = s;
    this.idEnd = e;
    this.idText = undefined;
    if (e === s || !isPlain(bytes[s]!) || !isPlain(bytes[e - 1]!)) {
      this.idText = buffer.toString("utf8", s, e).trim();
      if (this.idText === "") return false;
    }
    return true;
  }

  /**
   * Whether bytes [s, e) are a completion time in either order (checked as bytes first); the
   * orders it can be read in are left in `dateOrders`, and where it is in `dateStart`/`dateEnd`.
   */
  private isSubmittedAt(buffer: Buffer, s: number, e: number): boolean {
    let orders = dateOrdersOfBytes(this.bytes, s, e);
    this.dateStart = s;
    this.dateEnd = e;
    if (orders === 0) {
      const text = buffer.toString("utf8", s, e);
      // Blank: kept as any response where the source says so (else declined: the caller leaves it out).
      if (text.trim() === "") {
        this.dateOrders = DATE_ORDER_BITS.either;
        return this.keepsIncomplete;
      }
      orders = dateOrdersOf(text);
    }
    this.dateOrders = orders;
    return orders !== 0;
  }

  /** Column `c`'s multi-select answer in one cell, bytes [s, e), read as text: false when a piece is no choice. */
  private encodeDelimited(buffer: Buffer, c: number, s: number, e: number, target: Uint8Array, at: number): boolean {
    this.problems.length = 0;
    encodeDelimitedCell(this.delimited[c]!, buffer.toString("utf8", s, e), 0, target, at + this.offsets[c]!, this.problems);
    return this.problems.length === 0;
  }
}

/** Where the field starting at `s` ends: at the next delimiter, or the line's end. */
function fieldEnd(bytes: Uint8Array, s: number, end: number, delimiter: number): number {
  let e = s;
  while (e < end && bytes[e] !== delimiter) e++;
  return e;
}

/** A visible ASCII character: an id that starts and ends with one is its own trimmed form. */
function isPlain(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f;
}

/**
 * Every spelling a coded column's cell is read with as it stands (labels, codes, "not
 * answered" values, their normalized forms) and the code {@link codeOf} gives it, kept when
 * `keep` says so.
 */
function spellingsOf(column: CodedColumn, keep: (code: number) => boolean): Map<string, number> {
  const spellings = new Map<string, number>();
  for (const spelling of [...column.labels, ...column.missing, ...column.codes.keys()]) {
    const code = codeOf(column, spelling);
    if (code !== undefined && keep(code) && !spellings.has(spelling)) spellings.set(spelling, code);
  }
  return spellings;
}
