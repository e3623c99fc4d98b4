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
          // An unclosed quote or a line without end that would grow without bound.
          const next = this.giveUpRecord(out, buffer, at, "a field is longer than the limit or its quote is never closed (missing closing quote)");
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
   */
  private readRecord(text: string, start: number, final: boolean): { end: number; problem?: string } {
    const delimiter = this.delimiter;
    const length = text.length;
    // Fast path: a record with no quote before its line end is that line split at the delimiter.
    const lineBreak = this.lineBreakFrom(text, start);
    if (lineBreak >= 0) {
      const quote = this.findQuote(text, start);
      if (quote < 0 || quote > lineBreak) {
        this.fields = text.substring(start, lineBreak).split(this.delimiterChar);
        if (text.charCodeAt(lineBreak) === LF) return { end: lineBreak + 1 };
        return this.afterCr(text, lineBreak, final);
      }
    }
    const fields: string[] = [];
    this.fields = fields;
    let i = start;
    for (;;) {
      if (i < length && text.charCodeAt(i) === QUOTE) {
        i = this.readQuoted(text, i, final);
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
      const delimiterAt = this.delimiterFrom(text, i);
      const breakAt = this.lineBreakFrom(text, i);
      let j = delimiterAt < 0 ? breakAt : breakAt < 0 ? delimiterAt : Math.min(delimiterAt, breakAt);
      if (j < 0) {
        if (!final) return { end: NEED_MORE };
        j = length;
      }
      if (j >= length) {
        fields.push(text.substring(i, length));
        return { end: length };
      }
      fields.push(text.substring(i, j));
      if (j === delimiterAt) {
        i = j + 1;
        continue;
      }
      if (text.charCodeAt(j) === LF) return { end: j + 1 };
      return this.afterCr(text, j, final);
    }
  }

  /**
   * Reads the quoted field whose opening quote is at `at` into `fields`, undoubling its quotes:
   * where its closing quote ends, or NEED_MORE (UNCLOSED when `final`) if the text ends first.
   * A closing quote at the very end of unfinished text may yet be the first of a doubled pair.
   */
  private readQuoted(text: string, at: number, final: boolean): number {
    const length = text.length;
    let value = "";
    let from = at + 1;
    for (;;) {
      const close = this.findQuote(text, from);
      if (close < 0 || (close + 1 >= length && !final)) return final ? UNCLOSED : NEED_MORE;
      if (close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
        value += text.substring(from, close + 1);
        from = close + 2;
        continue;
      }
      value += text.substring(from, close);
      this.fields.push(value);
      return close + 1;
    }
  }

  private afterCr(text: string, at: number, final: boolean): { end: number } {
    if (at + 1 >= text.length) return final ? { end: at + 1 } : { end: NEED_MORE };
    return { end: text.charCodeAt(at + 1) === LF ? at + 2 : at + 1 };
  }
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
