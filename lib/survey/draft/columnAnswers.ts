import { normalizeLabel } from "../../sources/normalizeLabel.ts";

/** The most distinct answers kept per column: more than any scale or option list has. */
export const DISTINCT_ANSWERS_KEPT = 60;
/** An answer longer than this is no scale label or option: the column holds free text. */
export const LONGEST_LABEL = 120;

/** Distinct answers, told apart as labels are (case, curly quotes, spacing aside), in the order first seen, with counts. */
class DistinctAnswers {
  /** Each answer as first spelled → how many cells held it (any spelling). */
  readonly counts = new Map<string, number>();
  overflowed = false;
  private readonly spellings = new Map<string, string>();
  private readonly byLabel = new Map<string, string>();

  add(answer: string): void {
    let first = this.spellings.get(answer);
    if (first === undefined) {
      if (this.overflowed) return;
      const label = normalizeLabel(answer);
      first = this.byLabel.get(label);
      if (first === undefined) {
        if (this.counts.size >= DISTINCT_ANSWERS_KEPT) {
          this.overflowed = true;
          return;
        }
        first = answer;
        this.byLabel.set(label, answer);
      }
      this.spellings.set(answer, first);
    }
    this.counts.set(first, (this.counts.get(first) ?? 0) + 1);
  }
}

/**
 * What one export column holds, gathered while the export streams past (never the cells
 * themselves): its distinct answers up to {@link DISTINCT_ANSWERS_KEPT}, and, where the tool
 * writes every choice of a multi-select in one cell, the distinct pieces between separators.
 */
export class ColumnAnswers {
  readonly answers = new DistinctAnswers();
  readonly pieces = new DistinctAnswers();
  /** Cells that were not blank. */
  answered = 0;
  /** The length of the longest answer. */
  longest = 0;
  /** Cells holding two or more pieces, and cells ending with the separator (`A;B;`). */
  severalPieces = 0;
  endingWithSeparator = 0;
  /** The first and last answers, in row order (for dates, as hints). */
  first: string | undefined;
  last: string | undefined;

  constructor(
    /** The separator a multi-select cell may use in this tool's exports, if any. */
    readonly separator?: string,
  ) {}

  /** Takes one cell. */
  add(cell: string): void {
    const answer = cell.trim();
    if (answer === "") return;
    this.answered++;
    this.first ??= answer;
    this.last = answer;
    if (answer.length > this.longest) this.longest = answer.length;
    // A multi-select cell may be long; each of its pieces, like any label, may not.
    if (answer.length > LONGEST_LABEL) this.answers.overflowed = true;
    else this.answers.add(answer);
    if (this.separator !== undefined) this.addPieces(answer, this.separator);
  }

  /** The distinct answers in the order first seen (all of them unless {@link overflowed}). */
  get distinct(): string[] {
    return [...this.answers.counts.keys()];
  }

  /** Whether the column held more distinct answers (or longer ones) than are kept. */
  get overflowed(): boolean {
    return this.answers.overflowed;
  }

  private addPieces(answer: string, separator: string): void {
    const pieces = answer.split(separator).map((piece) => piece.trim());
    if (answer.endsWith(separator.trim())) this.endingWithSeparator++;
    const chosen = pieces.filter((piece) => piece !== "");
    if (chosen.length > 1) this.severalPieces++;
    for (const piece of chosen) {
      if (piece.length > LONGEST_LABEL) this.pieces.overflowed = true;
      else this.pieces.add(piece);
    }
  }
}
