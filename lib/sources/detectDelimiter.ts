/** The field delimiters exports use. */
export const DELIMITERS = [",", ";", "\t"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * Guesses the delimiter from the first line of an export (outside quotes): the candidate
 * that appears most often, commas winning ties. Returns undefined until the text holds a
 * whole first line, unless `final`.
 */
export function detectDelimiter(text: string, final: boolean): Delimiter | undefined {
  return new FirstLineDelimiter().push(text, final);
}

/**
 * {@link detectDelimiter} for a first line that comes in pieces: each piece is read once, so a
 * very long first line (a million empty header cells) costs its length, not its square. Only
 * ASCII characters count, so bytes read as Latin-1 give the same answer as their UTF-8 text.
 */
export class FirstLineDelimiter {
  private readonly counts = [0, 0, 0];
  private quoted = false;
  private found: Delimiter | undefined;

  /**
   * Reads the next piece of the text: the delimiter once the first line (or, when `final`,
   * the text) is whole, as {@link detectDelimiter} gives it for all the pieces so far.
   */
  push(text: string, final: boolean): Delimiter | undefined {
    if (this.found !== undefined) return this.found;
    const counts = this.counts;
    let quoted = this.quoted;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) quoted = !quoted;
      else if (quoted) continue;
      else if (c === 0x0a || c === 0x0d) return (this.found = pick(counts));
      // In the order of DELIMITERS: comma, semicolon, tab.
      else if (c === 0x2c) counts[0]!++;
      else if (c === 0x3b) counts[1]!++;
      else if (c === 0x09) counts[2]!++;
    }
    this.quoted = quoted;
    return final ? (this.found = pick(counts)) : undefined;
  }
}

function pick(counts: number[]): Delimiter {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return DELIMITERS[best]!;
}

/** Excel's delimiter declaration, a first line `sep=,`: the delimiter it names and its length with its line end. */
export interface SepLine {
  delimiter: string;
  length: number;
}

const SEP_LINE = /^"?sep=([^\r\n])"?/i;

/**
 * Reads Excel's delimiter declaration, the first line `sep=,` (or `sep=;`, or `sep=` and a tab)
 * that Excel and tools writing for it put before the header: what it declares and how many
 * characters to skip; null when the text does not start with one; undefined until its line is
 * whole (unless `final`). It may be quoted (`"sep=,"`), and a spreadsheet that saved it again
 * may have padded it with delimiters.
 *
 * @example readSepLine("sep=;\r\nid;Q1\r\n", false) // { delimiter: ";", length: 7 }
 */
export function readSepLine(text: string, final: boolean): SepLine | null | undefined {
  const match = SEP_LINE.exec(text);
  if (match === null) return !final && couldStartSepLine(text) ? undefined : null;
  const after = match[0].length;
  let end = after;
  while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
  if (!final && (end === text.length || (text[end] === "\r" && end + 1 === text.length))) return undefined;
  if (!/^[,;\t ]*$/.test(text.slice(after, end))) return null;
  const lineEnd = text[end] === "\r" && text[end + 1] === "\n" ? 2 : end < text.length ? 1 : 0;
  return { delimiter: match[1]!, length: end + lineEnd };
}

/** Whether the text is too short to tell, but could still become `sep=`. */
function couldStartSepLine(text: string): boolean {
  const start = text.toLowerCase();
  return "sep=".startsWith(start) || '"sep='.startsWith(start);
}

/** The delimiter of a delimited text, once known, and how many characters of its front to skip (a `sep=` line). */
export interface DelimiterFound {
  delimiter: Delimiter;
  skip: number;
  /** Set when a `sep=` line declared it. */
  declared: boolean;
}

/**
 * Finds a delimited text's delimiter from its first pieces: a `sep=` line declares it (and is
 * skipped), whatever the setting, as a byte-order mark decides the encoding; else the setting,
 * or with "auto" the guess from the first line ({@link FirstLineDelimiter}). Throws
 * {@link UnsupportedDelimiterError} for a `sep=` line naming another delimiter than `,`, `;` or
 * a tab.
 */
export class DelimiterFinder {
  private sepLine: SepLine | null | undefined;
  private head = "";
  private readonly firstLine = new FirstLineDelimiter();

  constructor(private readonly setting: Delimiter | "auto") {}

  /** Reads the next piece (bytes as Latin-1, or text): the delimiter once known, else undefined. */
  push(piece: string, final: boolean): DelimiterFound | undefined {
    let text = piece;
    if (this.sepLine === undefined) {
      this.head += piece;
      this.sepLine = readSepLine(this.head, final);
      if (this.sepLine === undefined) return undefined;
      if (this.sepLine !== null) return this.declared(this.sepLine);
      text = this.head;
      this.head = "";
    } else if (this.sepLine !== null) {
      return this.declared(this.sepLine);
    }
    if (this.setting !== "auto") return { delimiter: this.setting, skip: 0, declared: false };
    const guessed = this.firstLine.push(text, final);
    return guessed === undefined ? undefined : { delimiter: guessed, skip: 0, declared: false };
  }

  private declared(line: SepLine): DelimiterFound {
    const delimiter = DELIMITERS.find((candidate) => candidate === line.delimiter);
    if (delimiter === undefined) throw new UnsupportedDelimiterError(line.delimiter);
    return { delimiter, skip: line.length, declared: true };
  }
}

/** A `sep=` line declares a delimiter exports are not read with. */
export class UnsupportedDelimiterError extends Error {
  constructor(readonly delimiter: string) {
    super(`the file's first line, sep=${delimiter}, declares the delimiter ${JSON.stringify(delimiter)}: exports are read with ",", ";" or a tab; save it again with one of those`);
    this.name = "UnsupportedDelimiterError";
  }
}
