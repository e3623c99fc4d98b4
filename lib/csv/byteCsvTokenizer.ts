import { isUtf8 } from "node:buffer";
import { tooLongMessage } from "./csvTokenizer.ts";
import { RecordBatch } from "./recordBatch.ts";
import { completeEnd, firstInvalidUtf8Byte } from "./utf8.ts";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NEED_MORE = -1;
const UNCLOSED = -2;
const AFTER_QUOTE = -3;
const DEFAULT_MAX_FIELD = 1 << 20;
/** Why a record was given up, by readRecord's code (NEED_MORE, a record that outgrew the limit: {@link tooLongMessage}). */
const PROBLEMS: Record<number, string> = {
  [UNCLOSED]: "a quoted field is never closed (missing closing quote)",
  [AFTER_QUOTE]: "text follows a closing quote (a quote inside a quoted field is not doubled, or a quote is never closed)",
};

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

/**
 * The byte-level twin of {@link CsvTokenizer} for UTF-8 text: the same records, row numbers and
 * problems (a differential fuzz test against papaparse and against CsvTokenizer holds it to
 * that), read from the bytes without decoding the file into one string first.
 *
 * A line without a quote (nearly every line of a survey export) is found with native byte
 * searches, decoded on its own and split; a line with quotes is read byte by byte. Every byte
 * pushed is checked to be UTF-8 in one native call per push (InvalidUtf8Error otherwise, with
 * its offset), as a strict decoder would. Line ends, quotes and records split across pushes work
 * as in CsvTokenizer: a multi-byte character is never split, since only whole records are read.
 * The limit on an unfinished record is counted in bytes here, in characters there.
 */
export class ByteCsvTokenizer {
  private readonly delimiter: number;
  private readonly maxFieldLength: number;
  private readonly maxRecordLength: number;
  /**
   * The unread rest of the last push is bytes [0, pendingLength) of `work`. Two buffers are kept
   * from push to push and take turns (a new one per push would be a megabyte for the collector
   * each time): the rest is copied into the one the batch just returned does not read.
   */
  private work: Buffer = Buffer.alloc(0);
  private spare: Buffer = Buffer.alloc(0);
  private pendingLength = 0;
  /** Bytes checked to be UTF-8 so far, and the start of a character the last push cut. */
  private utf8Checked = 0;
  private utf8Carry: Buffer = Buffer.alloc(0);
  private skippingLine = false;
  private row = 0;
  private fields: string[] = [];
  /** Where the line readRecord last read without quotes ends (-1: that record is in `fields`). */
  private rawLineEnd = -1;
  private readonly delimiterChar: string;
  /**
   * The last search for each byte: no such byte in [from, found), and found there (-1: none up to
   * the end of the buffer). Valid while the buffer is the same and searches only move forward.
   */
  private readonly lfMemo = { from: 0, found: -1, buffer: undefined as Buffer | undefined };
  private readonly crMemo = { from: 0, found: -1, buffer: undefined as Buffer | undefined };
  private readonly quoteMemo = { from: 0, found: -1, buffer: undefined as Buffer | undefined };
  /**
   * The record the last push ended inside (it starts this push's buffer): its fields so far (in
   * {@link scratch}) and where reading goes on. Cleared whenever a record is read or given up.
   */
  private partial: PartialRecord | undefined;
  /**
   * The fields of the record being read field by field, the first `count` of them: one array
   * kept from record to record and copied out at the record's end, so a record of a million
   * fields makes one array of its size, not the dozens growing it would leave behind.
   */
  private readonly scratch: string[] = [];
  private count = 0;
  /** How many bytes from the start of the pending record are known to hold no line end and no quote. */
  private clear = 0;

  constructor(options: { delimiter: string; maxFieldLength?: number }) {
    if (options.delimiter.length !== 1 || options.delimiter.charCodeAt(0) > 0x7f) throw new Error(`a delimiter is one ASCII character, not ${JSON.stringify(options.delimiter)}`);
    this.delimiter = options.delimiter.charCodeAt(0);
    this.delimiterChar = options.delimiter;
    this.maxFieldLength = options.maxFieldLength ?? DEFAULT_MAX_FIELD;
    this.maxRecordLength = 4 * this.maxFieldLength;
  }

  /** The first line break (LF or CR) at or after `from`, or -1. */
  private lineBreakFrom(buf: Buffer, from: number): number {
    const lf = this.search(buf, LF, from, this.lfMemo);
    const cr = this.search(buf, CR, from, this.crMemo);
    return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  }

  /**
   * `buf.indexOf(byte, from)`, remembering the last answer: a buffer without any CR is searched
   * for one once, not once per record. A search that starts before the last one (after a damaged
   * record, reading resumes earlier) is done afresh.
   */
  private search(buf: Buffer, byte: number, from: number, memo: { from: number; found: number; buffer: Buffer | undefined }): number {
    if (memo.buffer === buf && from >= memo.from && (memo.found < 0 || from <= memo.found)) return memo.found;
    memo.buffer = buf;
    memo.from = from;
    memo.found = buf.indexOf(byte, from);
    return memo.found;
  }

  /**
   * Reads the records completed by `bytes`; `final` marks the end of the input. Lines without
   * quotes come back raw (as bytes of the batch), other records as text.
   */
  push(bytes: Uint8Array, final = false): RecordBatch {
    this.checkUtf8(bytes, final);
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const buffer = this.pendingLength === 0 ? chunk : this.append(chunk);
    const out = new RecordBatch(buffer, this.delimiterChar);
    let at = 0;
    if (this.skippingLine) {
      const end = lineEnd(buffer, 0);
      if (end < 0) {
        this.pendingLength = 0;
        if (final) this.skippingLine = false;
        return out;
      }
      this.skippingLine = false;
      at = end;
    }
    while (at < buffer.length) {
      const end = this.readRecord(buffer, at, final);
      if (end === NEED_MORE && buffer.length - at <= this.maxRecordLength) break;
      if (end === NEED_MORE || end === UNCLOSED || end === AFTER_QUOTE) {
        this.partial = undefined;
        this.clear = 0;
        this.reject(out, end === NEED_MORE ? tooLongMessage(this.maxRecordLength, "bytes") : PROBLEMS[end]!);
        // Reading resumes at the next line; if it has not come yet, its rest is skipped when it does.
        const next = lineEnd(buffer, at);
        if (next < 0) {
          this.skippingLine = !final;
          at = buffer.length;
          break;
        }
        at = next;
        continue;
      }
      const start = at;
      at = end;
      if (this.rawLineEnd >= 0) {
        // A line no longer than the field limit cannot hold a field over it.
        const length = this.rawLineEnd - start;
        if (length === 0) continue;
        if (length <= this.maxFieldLength) {
          out.addLine(start, this.rawLineEnd, ++this.row);
          continue;
        }
        this.fields = buffer.toString("utf8", start, this.rawLineEnd).split(this.delimiterChar);
      }
      const fields = this.fields;
      if (fields.length === 1 && fields[0] === "") continue;
      const tooLong = fields.findIndex((field) => field.length > this.maxFieldLength);
      if (tooLong >= 0) {
        this.reject(out, `field ${tooLong + 1} is longer than the limit of ${this.maxFieldLength} characters`);
        continue;
      }
      out.addFields(fields, ++this.row);
    }
    this.keep(buffer, at);
    return out;
  }

  /** The pending bytes followed by `chunk`, in the work buffer (grown when it must be). */
  private append(chunk: Buffer): Buffer {
    const length = this.pendingLength + chunk.length;
    if (length > this.work.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.work.length));
      this.work.copy(grown, 0, 0, this.pendingLength);
      this.work = grown;
    }
    chunk.copy(this.work, this.pendingLength);
    return this.work.subarray(0, length);
  }

  /**
   * Keeps bytes from `at` on for the next push, in the spare buffer (the batch reads `buffer`).
   * When nothing was read, the batch reads nothing: pending bytes already in the work buffer stay
   * where they are, so a record that takes many pushes is not copied again on each.
   */
  private keep(buffer: Buffer, at: number): void {
    if (at === 0 && this.pendingLength > 0) {
      this.pendingLength = buffer.length;
      return;
    }
    const rest = buffer.length - at;
    if (rest > this.spare.length) this.spare = Buffer.allocUnsafeSlow(Math.max(rest, 2 * this.spare.length));
    buffer.copy(this.spare, 0, at);
    [this.work, this.spare] = [this.spare, this.work];
    this.pendingLength = rest;
  }

  /**
   * Every byte pushed is checked to be UTF-8 once, in one native call per push, whatever the
   * records make of it (skipped lines included, as a strict decoder would): a character cut by
   * the end of a push waits for the rest in `utf8Carry`.
   */
  private checkUtf8(pushed: Uint8Array, final: boolean): void {
    let bytes = pushed;
    let base = this.utf8Checked;
    if (this.utf8Carry.length > 0) {
      bytes = Buffer.concat([this.utf8Carry, pushed]);
      base -= this.utf8Carry.length;
    }
    const end = final ? bytes.length : completeEnd(bytes);
    if (!isUtf8(bytes.subarray(0, end))) {
      const bad = firstInvalidUtf8Byte(bytes.subarray(0, end));
      const at = bad >= 0 ? bad : lastLeadByte(bytes, end);
      throw new InvalidUtf8Error(base + at, bytes[at]!);
    }
    this.utf8Carry = Buffer.from(bytes.subarray(end));
    this.utf8Checked += pushed.length;
  }

  private reject(out: RecordBatch, message: string): void {
    this.row++;
    out.problems.push({ row: this.row, message });
  }

  /**
   * Reads one record from `start` into `fields`: where the next one starts, NEED_MORE, or a problem code.
   * A record cut by the end of the push is read once, not again on every push until it ends: a
   * line without a quote waits for its line end unread, and one with quotes is taken up where the
   * last push left it ({@link partial}). Else a long header (a million empty cells) would cost the
   * square of its length.
   */
  private readRecord(buf: Buffer, start: number, final: boolean): number {
    const resumed = this.partial;
    const clear = this.clear;
    this.partial = undefined;
    this.clear = 0;
    this.rawLineEnd = -1;
    // A record taken up again has a quote before any line end: it is read field by field.
    if (resumed === undefined) {
      // Fast path: a record with no quote before its line end is that line, kept as bytes.
      const lineBreak = this.lineBreakFrom(buf, start + clear);
      const quote = this.search(buf, QUOTE, start + clear, this.quoteMemo);
      if (lineBreak >= 0 && (quote < 0 || quote > lineBreak)) {
        this.rawLineEnd = lineBreak;
        if (buf[lineBreak] === LF) return lineBreak + 1;
        return this.afterCr(buf, lineBreak, final);
      }
      // No line end and no quote yet: wait for more, searching only what comes next time.
      if (lineBreak < 0 && quote < 0 && !final) {
        this.clear = buf.length - start;
        return NEED_MORE;
      }
    }
    this.count = resumed?.count ?? 0;
    const end = this.readFields(buf, start, final, resumed);
    if (end >= 0) this.fields = this.scratch.slice(0, this.count);
    return end;
  }

  /** The slow path of {@link readRecord}: fields one by one from `start`, or from where the last push stopped. */
  private readFields(buf: Buffer, start: number, final: boolean, resumed: PartialRecord | undefined): number {
    const delimiter = this.delimiter;
    const length = buf.length;
    // A plain byte array: element reads on it are what V8 optimises best (a Buffer subclass is slower).
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, length);
    const fields = this.scratch;
    let i = start + (resumed?.fieldStart ?? 0);
    let scanFrom = start + (resumed?.scanFrom ?? 0);
    let quoted = resumed?.quoted;
    for (;;) {
      if (quoted !== undefined || (i < length && bytes[i] === QUOTE)) {
        i = quoted === undefined ? this.readQuoted(buf, bytes, start, i + 1, "", final) : this.readQuoted(buf, bytes, start, scanFrom, quoted, final);
        quoted = undefined;
        if (i < 0) return i;
        if (i >= length) return final ? length : NEED_MORE;
        const next = bytes[i];
        if (next === delimiter) {
          scanFrom = ++i;
          continue;
        }
        if (next === LF) return i + 1;
        if (next === CR) return this.afterCr(buf, i, final);
        return AFTER_QUOTE;
      }
      let j = Math.max(i, scanFrom);
      while (j < length) {
        const b = bytes[j]!;
        if (b === delimiter || b === LF || b === CR) break;
        j++;
      }
      if (j >= length) {
        if (!final) {
          this.partial = { count: this.count, fieldStart: i - start, scanFrom: j - start, quoted: undefined };
          return NEED_MORE;
        }
        fields[this.count++] = this.decode(buf, i, length);
        return length;
      }
      fields[this.count++] = this.decode(buf, i, j);
      const b = bytes[j];
      if (b === delimiter) {
        i = scanFrom = j + 1;
        continue;
      }
      if (b === LF) return j + 1;
      return this.afterCr(buf, j, final);
    }
  }

  /**
   * Reads a quoted field into {@link scratch}, undoubling its quotes, from `from` (just after its
   * opening quote, or where the last push stopped with `value` read so far): where its closing
   * quote ends, or NEED_MORE (UNCLOSED when `final`) if the bytes end first, noting in
   * {@link partial} where to go on. A closing quote at the very end of an unfinished push may
   * yet be the first of a doubled pair.
   */
  private readQuoted(buf: Buffer, bytes: Uint8Array, start: number, from: number, value: string, final: boolean): number {
    const length = buf.length;
    for (;;) {
      const close = buf.indexOf(QUOTE, from);
      if (close < 0 || (close + 1 >= length && !final)) {
        if (final) return UNCLOSED;
        this.partial = { count: this.count, fieldStart: from - start, scanFrom: from - start, quoted: value };
        return NEED_MORE;
      }
      if (close + 1 < length && bytes[close + 1] === QUOTE) {
        value += this.decode(buf, from, close + 1);
        from = close + 2;
        continue;
      }
      value += this.decode(buf, from, close);
      this.scratch[this.count++] = value;
      return close + 1;
    }
  }

  private afterCr(buf: Buffer, at: number, final: boolean): number {
    if (at + 1 >= buf.length) return final ? at + 1 : NEED_MORE;
    return buf[at + 1] === LF ? at + 2 : at + 1;
  }

  /** Bytes [from, to) as text (checked to be UTF-8 when pushed). */
  private decode(buf: Buffer, from: number, to: number): string {
    return buf.toString("utf8", from, to);
  }

}

/**
 * How far a record cut by the end of a push was read, counted from the record's start: how many
 * fields are complete, the start of the field being read, how far that field is known to hold no
 * delimiter or line end, and, inside a quoted field, its text so far (`scanFrom` is then where
 * the search for its closing quote goes on).
 */
interface PartialRecord {
  /** How many of its fields are in the tokenizer's `scratch`. */
  count: number;
  fieldStart: number;
  scanFrom: number;
  quoted: string | undefined;
}

/** The lead byte of a sequence cut short just before `end` (firstInvalidUtf8Byte takes such a cut for a chunk boundary). */
function lastLeadByte(buf: Uint8Array, end: number): number {
  let at = end - 1;
  while (at > 0 && (buf[at]! & 0xc0) === 0x80) at--;
  return at;
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
