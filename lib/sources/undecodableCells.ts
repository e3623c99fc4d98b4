import type { CsvRecordProblem } from "../csv/csvTokenizer.ts";
import { RecordBatch } from "../csv/recordBatch.ts";
import { type InvalidByte, REPLACEMENT_BYTES, REPLACEMENT_CHARACTER } from "../csv/utf8.ts";
import { ENCODING_SETTING, notDecodableMessage, type TextEncodingName, WINDOWS_1252_HIGH } from "./decodeText.ts";

/** A row refused for one cell: the row problem names the column and quotes the cell as read. */
export interface CellProblem extends CsvRecordProblem {
  column: string;
  value: string;
}

/** Where the cells of one column (not read by the caller, or not known to be) held bytes that are not valid text. */
interface UnreadColumn {
  cells: number;
  firstRow: number;
}

/**
 * The cells of an export that held bytes not valid in its encoding, which the decoder read as
 * U+FFFD rather than refusing the file (one Windows-1252 byte in a UTF-8 export is common):
 * - in a column the caller reads, the row is a problem naming the row, the column and the
 *   encoding, and the other rows are kept;
 * - in a column it does not read, the row is kept and the file carries a warning;
 * - when the caller does not say which columns it reads, rows are handed on as read (its own
 *   checks decide: no label, date or number holds U+FFFD) and every such cell is a warning;
 * - when the rows with such cells where they are read (anywhere, if the caller does not say)
 *   are at least half of all rows, the file is not in that encoding at all, and it is refused,
 *   naming the first bad byte and the `encoding` setting.
 * Nothing is searched until the decoder reports a bad byte, so a clean file costs nothing.
 */
export class UndecodableCells {
  private seen = false;
  private first: InvalidByte | undefined;
  private rows = 0;
  /** Rows whose cells held undecodable bytes where they are read (made problems, or handed on when the caller does not say). */
  private rowsDamaged = 0;
  private readsKnown = false;
  private readonly unread = new Map<number, UnreadColumn>();
  private headerColumns: number[] = [];

  constructor(private readonly encoding: () => TextEncodingName) {}

  /** The decoder met bytes that are not valid (the first of them, when it knows which). */
  readonly noteUndecodable = (first?: InvalidByte): void => {
    this.seen = true;
    this.first ??= first;
  };

  /** The header's columns whose names hold undecodable bytes (kept for the warnings). */
  header(headerRows: readonly string[][]): void {
    if (!this.seen) return;
    const columns = new Set<number>();
    for (const row of headerRows) row.forEach((name, c) => name.includes(REPLACEMENT_CHARACTER) && columns.add(c));
    this.headerColumns = [...columns];
  }

  /**
   * A batch of responses, with each row whose read cell held undecodable bytes taken out and
   * made a row problem (`reads`: whether the caller reads a column; without it, no row is taken
   * out).
   */
  sift(batch: RecordBatch, names: readonly string[], reads?: (column: number) => boolean): RecordBatch {
    this.rows += batch.length - batch.first + batch.problems.length;
    if (!this.seen) return batch;
    this.readsKnown = reads !== undefined;
    const problems: CellProblem[] = [];
    for (const i of recordsWithReplacements(batch)) {
      const row = batch.rows[i]!;
      const cells = batch.record(i);
      const columns = cells.flatMap((cell, c) => (cell.includes(REPLACEMENT_CHARACTER) ? [c] : []));
      const read = reads === undefined ? undefined : columns.find(reads);
      if (read === undefined) {
        if (reads === undefined) this.rowsDamaged++;
        for (const c of columns) this.noteUnread(c, row);
        continue;
      }
      this.rowsDamaged++;
      const column = names[read] ?? `column ${read + 1}`;
      problems.push({ row, column, value: cells[read]!, message: this.expected(column) });
    }
    return problems.length === 0 ? batch : withoutRows(batch, problems);
  }

  /** Warnings for a person: the header cells and the cells kept (in columns not read, or not known to be) that held undecodable bytes. */
  warnings(names: readonly string[]): string[] {
    const encoding = this.encoding().toUpperCase();
    const name = (c: number) => (names[c] === undefined ? `column ${c + 1}` : `"${names[c]}" (column ${c + 1})`);
    const lines = this.headerColumns.map((c) => `the header of column ${c + 1} holds bytes that are not valid ${encoding} text, read as ${JSON.stringify(names[c] ?? "")}`);
    for (const [c, { cells, firstRow }] of this.unread) {
      const unread = this.readsKnown ? ", a column the cycle does not read," : "";
      lines.push(`${cells} cell(s) of ${name(c)}${unread} hold bytes that are not valid ${encoding} text, read as "${REPLACEMENT_CHARACTER}" (first in row ${firstRow})`);
    }
    if (lines.length > 0) lines.push(`${this.firstByte()}if the file is not ${encoding}, ${ENCODING_SETTING}`);
    return lines;
  }

  /** Why the file is refused: at least half its rows held undecodable bytes where they are read (anywhere, when the caller does not say). */
  refusal(): string | undefined {
    if (this.rowsDamaged === 0 || 2 * this.rowsDamaged < this.rows) return undefined;
    const encoding = this.encoding();
    return `${this.rowsDamaged} of ${this.rows} rows hold bytes that are not valid ${encoding.toUpperCase()} text: ${notDecodableMessage(encoding, this.first)}`;
  }

  private expected(column: string): string {
    const encoding = this.encoding().toUpperCase();
    return `text in ${encoding}, but the cell in "${column}" holds bytes that are not valid ${encoding} (read as "${REPLACEMENT_CHARACTER}"); ${this.firstByte()}if the file is not ${encoding}, ${ENCODING_SETTING}`;
  }

  private firstByte(): string {
    const first = this.first;
    return first === undefined ? "" : `the file's first such byte is 0x${first.byte.toString(16).toUpperCase().padStart(2, "0")} at byte offset ${first.offset}; `;
  }

  private noteUnread(column: number, row: number): void {
    const entry = this.unread.get(column);
    if (entry === undefined) this.unread.set(column, { cells: 1, firstRow: row });
    else entry.cells++;
  }
}

/**
 * The records of the batch (from its first) holding U+FFFD: raw lines found with native byte
 * searches, one forward pass over the batch's bytes, text records by their fields.
 */
function recordsWithReplacements(batch: RecordBatch): number[] {
  const found: number[] = [];
  let next = -1;
  for (let i = batch.first; i < batch.length; i++) {
    const start = batch.lineStarts[i]!;
    if (start < 0) {
      if (batch.record(i).some((cell) => cell.includes(REPLACEMENT_CHARACTER))) found.push(i);
      continue;
    }
    if (next !== Number.POSITIVE_INFINITY && next < start) {
      next = batch.bytes.indexOf(REPLACEMENT_BYTES, start);
      if (next < 0) next = Number.POSITIVE_INFINITY;
    }
    if (next < batch.lineEnds[i]!) found.push(i);
  }
  return found;
}

/** The batch without the rows of `problems`, which join its problems in row order. */
function withoutRows(batch: RecordBatch, problems: readonly CellProblem[]): RecordBatch {
  const refused = new Set(problems.map((problem) => problem.row));
  const kept = new RecordBatch(batch.bytes, batch.delimiter);
  for (let i = batch.first; i < batch.length; i++) {
    const row = batch.rows[i]!;
    if (refused.has(row)) continue;
    const start = batch.lineStarts[i]!;
    if (start >= 0) kept.addLine(start, batch.lineEnds[i]!, row);
    else kept.addFields(batch.record(i), row);
  }
  kept.problems = [...batch.problems, ...problems].sort((a, b) => a.row - b.row);
  return kept;
}

/**
 * A character a header read in the wrong encoding shows, and a right one never does: U+FFFD, a
 * control character, UTF-8 read as Windows-1252 (`Ã©`, `â€™`), or 8-bit text read as UTF-16
 * (each character two printable ASCII bytes, `敒灳`). Only ever adds a hint to a header that
 * does not fit.
 */
export function misdecodedCharacter(headerRows: readonly string[][], encoding: TextEncodingName): string | undefined {
  const text = headerRows.map((row) => row.join("")).join("");
  let pairsOfAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f)) return text[i];
    if (code >= 0xc2 && code <= 0xf4 && i + 1 < text.length && isWindows1252Continuation(text[i + 1]!)) return text.slice(i, i + 2);
    if (isPrintable(code >> 8) && isPrintable(code & 0xff)) pairsOfAscii++;
  }
  const utf16 = encoding === "utf-16le" || encoding === "utf-16be";
  return utf16 && text.length > 0 && 2 * pairsOfAscii > text.length ? text.slice(0, 8) : undefined;
}

/** A byte 0x80-0xBF (what follows a UTF-8 lead byte) as Windows-1252 shows it. */
function isWindows1252Continuation(character: string): boolean {
  const code = character.charCodeAt(0);
  return (code >= 0xa0 && code <= 0xbf) || WINDOWS_1252_HIGH.includes(character);
}

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte < 0x7f;
}
