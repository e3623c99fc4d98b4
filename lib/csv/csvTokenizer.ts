/** A line of the file that could not be read as a record, and why. */
export interface CsvRecordProblem {
  /** Row number in the file (records counted from 1, empty lines not counted). */
  row: number;
  message: string;
  /** Set when one cell is the problem (its bytes were not valid text): its column's name and the cell as read. */
  column?: string;
  value?: string;
}

/** Records read from one piece of text, each with its row number, and the rows that could not be read. */
export interface CsvTokens {
  records: string[][];
  rows: number[];
  problems: CsvRecordProblem[];
}

/** How to split text into records. */
export interface CsvTokenizerOptions {
  /** One character: `,`, `;` or a tab. */
  delimiter: string;
  /** A field longer than this is a row problem (default 1 MiB of characters). */
  maxFieldLength?: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NEED_MORE = -1;
const UNKNOWN = -2;
/** readQuoted's answer when the text ends before the closing quote and no more is to come. */
const UNCLOSED = -3;
const DEFAULT_MAX_FIELD = 1 << 20;

/**
 * Why a record still open past the limit on a record's length (four times the field limit) was
 * given up; `unit` is what the limit counts (the byte reader counts bytes, this one characters).
 */
export function tooLongMessage(limit: number, unit: "bytes" | "characters"): string {
  return `the row is longer than the limit of ${limit.toLocaleString("en-GB")} ${unit} (too many or too long fields), or a quote is never closed (missing closing quote)`;
}

/**
 * A streaming RFC 4180 reader that survives the damage people do to exports, in time linear
 * in the input and memory bounded by the field limit:
 * - CRLF, LF and CR end records, mixed freely (a CRLF header over LF rows reads fine);
 * - a quoted field may hold delimiters, doubled quotes and line ends;
 * - a quote that is never closed, or text after a closing quote, makes that record a row
 *   problem, and reading resumes at the next line, so one stray quote costs one row (a
 *   quoted field that would swallow the rest of the file is given up at the field limit);
 * - a field over the limit is a row problem; empty lines are skipped.
 * Text is pushed in pieces of any size; records come out as soon as they are complete.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly delimiterChar: string;
  /**
   * Positions of the next LF, CR and delimiter at or after where each was last looked for, in
   * this push's text (-1: none left; UNKNOWN: not looked for yet).
   */
  private nextLf = UNKNOWN;
  private nextCr = UNKNOWN;
  private nextDelimiter = UNKNOWN;
  private readonly maxFieldLength: number;
  /** A record still open after this many characters is given up (bounded memory). */
  private readonly maxRecordLength: number;
  private pending = "";
  /** Discarding the rest of an over-long line until its line end. */
  private skippingLine = false;
  private row = 0;
  /** The fields of the record readRecord last read. */
  private fields: string[] = [];
  /**
   * The last quote search, so that lines which each open a quote never closed do not each scan
   * ahead to the field limit (which would be quadratic): no quote lies in [quoteFrom, quoteAt),
   * and quoteAt is the quote found there, or -1 with quoteEnd the end of the text searched.
   */
  private quoteFrom = 0;
  private quoteAt = -1;
  private quoteEnd = 0;
  /**
   * The record the last push ended inside (it starts this push's text): its fields so far (in
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
  /** Set to the pending record's length when it is known to hold no line end and no quote. */
  private clear = 0;

  constructor(options: CsvTokenizerOptions) {
    if (options.delimiter.length !== 1) throw new Error(`a delimiter is one character, not ${JSON.stringify(options.delimiter)}`);
    this.delimiter = options.delimiter.charCodeAt(0);
    this.delimiterChar = options.delimiter;
    this.maxFieldLength = options.maxFieldLength ?? DEFAULT_MAX_FIELD;
    this.maxRecordLength = 4 * this.maxFieldLength;
  }

  /** Reads the records completed by `text`; `final` marks the end of the input. */
  push(text: string, final = false): CsvTokens {
    const out: CsvTokens = { records: [], rows: [], problems: [] };
    if (this.waitsUnread(text, final)) return out;
    this.clear = 0;
    let buffer = this.pending.length === 0 ? text : this.pending + text;
    this.rebaseQuoteSearch(this.pending.length === 0 && this.quoteEnd > 0 ? Number.POSITIVE_INFINITY : 0);
    this.nextLf = this.nextCr = this.nextDelimiter = UNKNOWN;
    let at = 0;
    if (this.skippingLine) {
      at = this.skipRestOfLine(buffer, final);
      if (at < 0) return out;
    }
    while (at < buffer.length) {
      const result = this.readRecord(buffer, at, final);
      const fields = this.fields;
      if (result.end === NEED_MORE) {
        if (buffer.length - at > this.maxRecordLength) {
          this.partial = undefined;
          this.clear = 0;
          // An unclosed quote or a line without end that would grow without bound.
          const next = this.giveUpRecord(out, buffer, at, tooLongMessage(this.maxRecordLength, "characters"));
          if (next < 0) {
            this.skippingLine = !final;
            buffer = "";
            at = 0;
            break;
          }
          at = next;
          continue;
        }
        break;
      }
      if (result.problem !== undefined) {
        const next = this.giveUpRecord(out, buffer, at, result.problem);
        if (next < 0) {
          // The rest of the line is still to come: discard it when it does.
          this.skippingLine = !final;
          at = buffer.length;
          break;
        }
        at = next;
        continue;
      }
      at = result.end;
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
    this.pending = at >= buffer.length ? "" : buffer.substring(at);
    this.rebaseQuoteSearch(at);
    return out;
  }

  /**
   * Whether `text` only lengthens a pending record that holds no line end and no quote, and
   * holds none itself: then it is added to the pending text (joined, not copied) and nothing is
   * read, so a record that takes many pushes is not searched or copied again on each.
   */
  private waitsUnread(text: string, final: boolean): boolean {
    if (final || this.clear === 0 || this.clear !== this.pending.length || this.pending.length + text.length > this.maxRecordLength) return false;
    if (text.includes("\n") || text.includes("\r") || text.includes('"')) return false;
    this.pending += text;
    this.clear = this.pending.length;
    return true;
  }

  /**
   * Discards the rest of a line given up in an earlier push, up to its line end: where reading
   * resumes, or -1 when the line goes on past this text (all of which is then dropped).
   */
  private skipRestOfLine(buffer: string, final: boolean): number {
    const end = lineEnd(buffer, 0);
    if (end < 0) {
      this.pending = "";
      if (final) this.skippingLine = false;
      return -1;
    }
    this.skippingLine = false;
    return end;
  }

  /**
   * Counts the record at `at` as a row problem: where the next line starts (reading resumes
   * there), or -1 when its line end has not come yet.
   */
  private giveUpRecord(out: CsvTokens, buffer: string, at: number, message: string): number {
    this.reject(out, message);
    // Reading resumes before where the failed record's searches got to: their memos are stale.
    this.nextLf = this.nextCr = this.nextDelimiter = UNKNOWN;
    return lineEnd(buffer, at);
  }

  /**
   * The first line break (LF or CR) at or after `from`, or -1. The next LF and CR are
   * remembered, so a piece of text is searched for each only once, however many records it holds.
   */
  private lineBreakFrom(text: string, from: number): number {
    if (this.nextLf === UNKNOWN || (this.nextLf >= 0 && this.nextLf < from)) this.nextLf = text.indexOf("\n", from);
    if (this.nextCr === UNKNOWN || (this.nextCr >= 0 && this.nextCr < from)) this.nextCr = text.indexOf("\r", from);
    const lf = this.nextLf;
    const cr = this.nextCr;
    return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  }

  /** The first delimiter at or after `from`, or -1, remembered the same way. */
  private delimiterFrom(text: string, from: number): number {
    if (this.nextDelimiter === UNKNOWN || (this.nextDelimiter >= 0 && this.nextDelimiter < from)) this.nextDelimiter = text.indexOf(this.delimiterChar, from);
    return this.nextDelimiter;
  }

  /** Keeps the quote search valid after the first `by` characters of the buffer are dropped. */
  private rebaseQuoteSearch(by: number): void {
    const searchedPast = this.quoteAt >= 0 ? this.quoteAt >= by : this.quoteEnd >= by;
    if (by === Number.POSITIVE_INFINITY || !searchedPast) {
      this.quoteFrom = 0;
      this.quoteAt = -1;
      this.quoteEnd = 0;
      return;
    }
    this.quoteFrom = Math.max(this.quoteFrom, by) - by;
    this.quoteEnd -= by;
    if (this.quoteAt >= 0) this.quoteAt -= by;
  }

  /** `text.indexOf('"', from)`, remembering what earlier searches saw. */
  private findQuote(text: string, from: number): number {
    if (from >= this.quoteFrom) {
      if (this.quoteAt >= 0 && from <= this.quoteAt) return this.quoteAt;
      if (this.quoteAt < 0 && from <= this.quoteEnd) {
        if (this.quoteEnd >= text.length) return -1;
        from = Math.max(from, this.quoteEnd);
        const found = text.indexOf('"', from);
        this.quoteAt = found;
        this.quoteEnd = text.length;
        return found;
      }
    }
    const found = text.indexOf('"', from);
    this.quoteFrom = from;
    this.quoteAt = found;
    this.quoteEnd = text.length;
    return found;
  }

  private reject(out: CsvTokens, message: string): void {
    this.row++;
    out.problems.push({ row: this.row, message });
  }

  /**
   * Reads one record starting at `start` into `fields`. Returns where the next record starts,
   * NEED_MORE when the text ends first, or a problem (the caller skips to the next line).
   * A record cut by the end of the text is read once, not again on every push until it ends: a
   * line without a quote waits for its line end unread, and one with quotes is taken up where
   * the last push left it ({@link partial}). Else a long header (a million empty cells) would
   * cost the square of its length.
   */
  private readRecord(text: string, start: number, final: boolean): { end: number; problem?: string } {
    const resumed = this.partial;
    this.partial = undefined;
    // A record taken up again has a quote before any line end: it is read field by field.
    if (resumed === undefined) {
      // Fast path: a record with no quote before its line end is that line split at the delimiter.
      const lineBreak = this.lineBreakFrom(text, start);
      const quote = this.findQuote(text, start);
      if (lineBreak >= 0 && (quote < 0 || quote > lineBreak)) {
        this.fields = text.substring(start, lineBreak).split(this.delimiterChar);
        if (text.charCodeAt(lineBreak) === LF) return { end: lineBreak + 1 };
        return this.afterCr(text, lineBreak, final);
      }
      // No line end and no quote yet: wait for more ({@link waitsUnread}).
      if (lineBreak < 0 && quote < 0 && !final) {
        this.clear = text.length - start;
        return { end: NEED_MORE };
      }
    }
    this.count = resumed?.count ?? 0;
    const result = this.readFields(text, start, final, resumed);
    if (result.end >= 0 && result.problem === undefined) this.fields = this.scratch.slice(0, this.count);
    return result;
  }

  /** The slow path of {@link readRecord}: fields one by one from `start`, or from where the last push stopped. */
  private readFields(text: string, start: number, final: boolean, resumed: PartialRecord | undefined): { end: number; problem?: string } {
    const delimiter = this.delimiter;
    const length = text.length;
    const fields = this.scratch;
    let i = start + (resumed?.fieldStart ?? 0);
    // Where to look for the end of the field being read: past what the last push searched.
    const scanFrom = start + (resumed?.scanFrom ?? 0);
    let quoted = resumed?.quoted;
    for (;;) {
      if (quoted !== undefined || (i < length && text.charCodeAt(i) === QUOTE)) {
        i = quoted === undefined ? this.readQuoted(text, start, i + 1, "", final) : this.readQuoted(text, start, scanFrom, quoted, final);
        quoted = undefined;
        if (i === NEED_MORE) return { end: NEED_MORE };
        if (i === UNCLOSED) return { end: 0, problem: "a quoted field is never closed (missing closing quote)" };
        if (i >= length) {
          if (!final) return { end: NEED_MORE };
          return { end: length };
        }
        const next = text.charCodeAt(i);
        if (next === delimiter) {
          i++;
          continue;
        }
        if (next === LF) return { end: i + 1 };
        if (next === CR) return this.afterCr(text, i, final);
        return { end: 0, problem: "text follows a closing quote (a quote inside a quoted field is not doubled, or a quote is never closed)" };
      }
      const delimiterAt = this.delimiterFrom(text, Math.max(i, scanFrom));
      const breakAt = this.lineBreakFrom(text, Math.max(i, scanFrom));
      let j = delimiterAt < 0 ? breakAt : breakAt < 0 ? delimiterAt : Math.min(delimiterAt, breakAt);
      if (j < 0) {
        if (!final) {
          this.partial = { count: this.count, fieldStart: i - start, scanFrom: length - start, quoted: undefined };
          return { end: NEED_MORE };
        }
        j = length;
      }
      if (j >= length) {
        fields[this.count++] = text.substring(i, length);
        return { end: length };
      }
      fields[this.count++] = text.substring(i, j);
      if (j === delimiterAt) {
        i = j + 1;
        continue;
      }
      if (text.charCodeAt(j) === LF) return { end: j + 1 };
      return this.afterCr(text, j, final);
    }
  }

  /**
   * Reads a quoted field into {@link scratch}, undoubling its quotes, from `from` (just after its
   * opening quote, or where the last push stopped with `value` read so far): where its closing
   * quote ends, or NEED_MORE (UNCLOSED when `final`) if the text ends first, noting in
   * {@link partial} where to go on. A closing quote at the very end of unfinished text may yet
   * be the first of a doubled pair.
   */
  private readQuoted(text: string, start: number, from: number, value: string, final: boolean): number {
    const length = text.length;
    for (;;) {
      const close = this.findQuote(text, from);
      if (close < 0 || (close + 1 >= length && !final)) {
        if (final) return UNCLOSED;
        this.partial = { count: this.count, fieldStart: from - start, scanFrom: from - start, quoted: value };
        return NEED_MORE;
      }
      if (close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
        value += text.substring(from, close + 1);
        from = close + 2;
        continue;
      }
      value += text.substring(from, close);
      this.scratch[this.count++] = value;
      return close + 1;
    }
  }

  private afterCr(text: string, at: number, final: boolean): { end: number } {
    if (at + 1 >= text.length) return final ? { end: at + 1 } : { end: NEED_MORE };
    return { end: text.charCodeAt(at + 1) === LF ? at + 2 : at + 1 };
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

/** Index just past the first line end at or after `from`, or -1 when there is none. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === LF) return i + 1;
    if (code === CR) return i + 1 < text.length && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }
  return -1;
}
