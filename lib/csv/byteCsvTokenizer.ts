import type { CsvTokens } from "./csvTokenizer.ts";
import { firstInvalidUtf8Byte } from "./utf8.ts";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NEED_MORE = -1;
const UNCLOSED = -2;
const AFTER_QUOTE = -3;
const DEFAULT_MAX_FIELD = 1 << 20;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Refuses bad bytes (and keeps a leading BOM: it is stripped before the tokenizer sees the bytes). */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes that are not UTF-8, at this offset in the file (after the byte-order mark). */
export class InvalidUtf8Error extends Error {
  constructor(
    readonly offset: number,
    readonly byte: number,
  ) {
    super(`not UTF-8 at byte offset ${offset}`);
    this.name = "InvalidUtf8Error";
  }
}

/** A column's known cell values, by hash of their UTF-8 bytes. */
type InternTable = Map<number, { bytes: Uint8Array; value: string }[]>;

/**
 * The byte-level twin of {@link CsvTokenizer} for UTF-8 text: the same records, row numbers and
 * problems (a differential fuzz test against papaparse and against CsvTokenizer holds it to
 * that), read from the bytes without decoding the file into one string first.
 *
 * Its point is the cells whose values are known in advance (answer labels): once told them
 * ({@link intern}), a cell whose bytes are exactly one of them comes out as that very string
 * object, so no string is built for it and the label comparison after is an identity check.
 * Other cells are decoded one by one, checked to be UTF-8 (InvalidUtf8Error otherwise; a cell
 * of ASCII bytes needs no check). Line ends, quotes and records split across pushes work as in
 * CsvTokenizer: a multi-byte character cannot be split, since pushes are cut only at record ends.
 * Limits are counted in bytes here, in characters there.
 */
export class ByteCsvTokenizer {
  private readonly delimiter: number;
  private readonly maxFieldLength: number;
  private readonly maxRecordLength: number;
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the input before `pending`, for offsets in errors. */
  private consumed = 0;
  private skippingLine = false;
  private row = 0;
  private fields: string[] = [];
  private tables: (InternTable | undefined)[] = [];

  constructor(options: { delimiter: string; maxFieldLength?: number }) {
    if (options.delimiter.length !== 1 || options.delimiter.charCodeAt(0) > 0x7f) throw new Error(`a delimiter is one ASCII character, not ${JSON.stringify(options.delimiter)}`);
    this.delimiter = options.delimiter.charCodeAt(0);
    this.maxFieldLength = options.maxFieldLength ?? DEFAULT_MAX_FIELD;
    this.maxRecordLength = 4 * this.maxFieldLength;
  }

  /** Tells the known values of each column (by position; undefined: none): matching cells come out as these strings. */
  intern(columns: readonly (readonly string[] | undefined)[]): void {
    const encoder = new TextEncoder();
    this.tables = columns.map((values) => {
      if (values === undefined || values.length === 0) return undefined;
      const table: InternTable = new Map();
      for (const value of values) {
        const bytes = encoder.encode(value);
        const hash = hashOf(bytes, 0, bytes.length);
        const entries = table.get(hash) ?? [];
        if (!entries.some((entry) => entry.value === value)) entries.push({ bytes, value });
        table.set(hash, entries);
      }
      return table;
    });
  }

  /** Reads the records completed by `bytes`; `final` marks the end of the input. */
  push(bytes: Uint8Array, final = false): CsvTokens {
    const out: CsvTokens = { records: [], rows: [], problems: [] };
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    if (this.skippingLine) {
      const end = lineEnd(buffer, 0);
      if (end < 0) {
        this.consumed += buffer.length;
        this.pending = Buffer.alloc(0);
        if (final) this.skippingLine = false;
        return out;
      }
      this.skippingLine = false;
      at = end;
    }
    while (at < buffer.length) {
      const end = this.readRecord(buffer, at, final);
      if (end === NEED_MORE) {
        if (buffer.length - at > this.maxRecordLength) {
          this.reject(out, "a field is longer than the limit or its quote is never closed (missing closing quote)");
          const next = lineEnd(buffer, at);
          if (next < 0) {
            this.skippingLine = !final;
            at = buffer.length;
            break;
          }
          at = next;
          continue;
        }
        break;
      }
      if (end === UNCLOSED || end === AFTER_QUOTE) {
        this.reject(out, end === UNCLOSED ? "a quoted field is never closed (missing closing quote)" : "text follows a closing quote (a quote inside a quoted field is not doubled, or a quote is never closed)");
        const next = lineEnd(buffer, at);
        if (next < 0) {
          this.skippingLine = !final;
          at = buffer.length;
          break;
        }
        at = next;
        continue;
      }
      at = end;
      const fields = this.fields;
      if (fields.length === 1 && fields[0] === "") continue;
      const tooLong = fields.findIndex((field) => field.length > this.maxFieldLength);
      if (tooLong >= 0) {
        this.reject(out, `field ${tooLong + 1} is longer than the limit of ${this.maxFieldLength} characters`);
        continue;
      }
      this.row++;
      out.records.push(fields);
      out.rows.push(this.row);
    }
    // Keep the unread rest (a copy, so the caller's chunk can be reused).
    this.consumed += at;
    this.pending = at >= buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(at));
    buffer = this.pending;
    return out;
  }

  private reject(out: CsvTokens, message: string): void {
    this.row++;
    out.problems.push({ row: this.row, message });
  }

  /** Reads one record from `start` into `fields`: where the next one starts, NEED_MORE, or a problem code. */
  private readRecord(buf: Buffer, start: number, final: boolean): number {
    const delimiter = this.delimiter;
    const length = buf.length;
    // A plain byte array: element reads on it are what V8 optimises best (a Buffer subclass is slower).
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, length);
    const tables = this.tables;
    const fields: string[] = [];
    this.fields = fields;
    let i = start;
    for (let column = 0; ; column++) {
      if (i < length && bytes[i] === QUOTE) {
        let value = "";
        let from = i + 1;
        for (;;) {
          const close = buf.indexOf(QUOTE, from);
          if (close < 0 || (close + 1 >= length && !final)) return final ? UNCLOSED : NEED_MORE;
          if (close + 1 < length && bytes[close + 1] === QUOTE) {
            value += this.decode(buf, from, close + 1);
            from = close + 2;
            continue;
          }
          value = value === "" ? this.cell(column, buf, from, close, hashOf(bytes, from, close)) : value + this.decode(buf, from, close);
          i = close + 1;
          break;
        }
        fields.push(value);
        if (i >= length) return final ? length : NEED_MORE;
        const next = bytes[i];
        if (next === delimiter) {
          i++;
          continue;
        }
        if (next === LF) return i + 1;
        if (next === CR) return this.afterCr(buf, i, final);
        return AFTER_QUOTE;
      }
      let j = i;
      let hash = FNV_OFFSET;
      if (tables[column] === undefined) {
        while (j < length) {
          const b = bytes[j]!;
          if (b === delimiter || b === LF || b === CR) break;
          j++;
        }
      } else {
        // The hash of a column with known values is taken in the same pass.
        while (j < length) {
          const b = bytes[j]!;
          if (b === delimiter || b === LF || b === CR) break;
          hash = Math.imul(hash ^ b, FNV_PRIME);
          j++;
        }
      }
      if (j >= length) {
        if (!final) return NEED_MORE;
        fields.push(this.cell(column, buf, i, length, hash >>> 0));
        return length;
      }
      fields.push(this.cell(column, buf, i, j, hash >>> 0));
      const b = bytes[j];
      if (b === delimiter) {
        i = j + 1;
        continue;
      }
      if (b === LF) return j + 1;
      return this.afterCr(buf, j, final);
    }
  }

  private afterCr(buf: Buffer, at: number, final: boolean): number {
    if (at + 1 >= buf.length) return final ? at + 1 : NEED_MORE;
    return buf[at + 1] === LF ? at + 2 : at + 1;
  }

  /** A cell's value: the known string its bytes spell (`hash`: theirs), or its bytes decoded. */
  private cell(column: number, buf: Buffer, from: number, to: number, hash: number): string {
    const table = this.tables[column];
    if (table !== undefined && to > from) {
      const entries = table.get(hash);
      if (entries !== undefined) {
        for (const entry of entries) if (sameBytes(entry.bytes, buf, from, to)) return entry.value;
      }
    }
    return this.decode(buf, from, to);
  }

  /** Bytes [from, to) as text: ASCII at once, anything else through a strict UTF-8 decoder. */
  private decode(buf: Buffer, from: number, to: number): string {
    for (let k = from; k < to; k++) {
      if (buf[k]! < 0x80) continue;
      try {
        return STRICT_UTF8.decode(buf.subarray(from, to));
      } catch {
        let bad = firstInvalidUtf8Byte(buf.subarray(from, to));
        if (bad < 0) {
          // A sequence cut short at the cell's end: its lead byte is the bad one.
          bad = to - from - 1;
          while (bad > 0 && (buf[from + bad]! & 0xc0) === 0x80) bad--;
        }
        throw new InvalidUtf8Error(this.consumed + from + bad, buf[from + bad]!);
      }
    }
    return buf.toString("latin1", from, to);
  }
}

/** FNV-1a over bytes [from, to). */
function hashOf(bytes: Uint8Array, from: number, to: number): number {
  let hash = FNV_OFFSET;
  for (let k = from; k < to; k++) hash = Math.imul(hash ^ bytes[k]!, FNV_PRIME);
  return hash >>> 0;
}

function sameBytes(known: Uint8Array, buf: Uint8Array, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let k = 0; k < known.length; k++) if (known[k] !== buf[from + k]) return false;
  return true;
}

/** Index just past the first line end at or after `from`, or -1. */
function lineEnd(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const code = buf[i];
    if (code === LF) return i + 1;
    if (code === CR) return i + 1 < buf.length && buf[i + 1] === LF ? i + 2 : i + 1;
  }
  return -1;
}
