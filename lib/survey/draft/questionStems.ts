/** A column name split into the question it belongs to and its own part (a matrix row, an option). */
export interface QuestionStem {
  /** The question's text or number, shared by its columns. */
  stem: string;
  /** The column's own part: a statement, a sub-question or an option (its label, or a code). */
  part: string;
}

/**
 * How tools name the columns of one question, most specific first: Google Forms' and
 * LimeSurvey's `Question [part]`, JISC's `13.a. part`, Snap's and Qualtrics' `Q13_1`, and
 * `Question: part` or `Question - part` in our own and hand-made layouts.
 */
const STEM_PATTERNS: readonly { pattern: RegExp; stem: number; part: number }[] = [
  { pattern: /^(.*\S)\s*\[([^\]]+)\]$/u, stem: 1, part: 2 },
  { pattern: /^(\d+)\.([a-z]+)\.\s*(.+)$/u, stem: 1, part: 3 },
  { pattern: /^([A-Za-z]*\d+)_([A-Za-z0-9]+)$/u, stem: 1, part: 2 },
  { pattern: /^(.+?):\s+(.+)$/u, stem: 1, part: 2 },
  { pattern: /^(.+) - (.+)$/u, stem: 1, part: 2 },
];

/**
 * Each column's question and own part, where its name shows them; undefined where it does not.
 * With two header rows (SmartSurvey, SurveyMonkey) the question is the first row's text carried
 * over the blank cells to its right and the part is the second row's (placeholders such as
 * `Response` are no part); with one, the name's pattern says ({@link STEM_PATTERNS}).
 *
 * @example questionStems(["Q13[SQ001]", "Q12"], [["Q13[SQ001]", "Q12"]], []) // [{ stem: "Q13", part: "SQ001" }, undefined]
 */
export function questionStems(names: readonly string[], headerRows: readonly string[][], placeholders: readonly string[]): (QuestionStem | undefined)[] {
  if (headerRows.length >= 2) return stemsOfTwoRows(names, headerRows, placeholders);
  return names.map((name) => {
    for (const { pattern, stem, part } of STEM_PATTERNS) {
      const match = pattern.exec(name.trim());
      if (match) return { stem: match[stem]!.trim(), part: match[part]!.trim() };
    }
    return undefined;
  });
}

function stemsOfTwoRows(names: readonly string[], headerRows: readonly string[][], placeholders: readonly string[]): (QuestionStem | undefined)[] {
  const top = headerRows[0]!;
  const bottom = headerRows[headerRows.length - 1]!;
  const placeholder = new Set(placeholders.map((text) => text.trim().toLowerCase()));
  let carried = "";
  return names.map((_name, column) => {
    const question = (top[column] ?? "").trim();
    if (question !== "") carried = question;
    const part = (bottom[column] ?? "").trim();
    if (carried === "" || part === "" || placeholder.has(part.toLowerCase())) return undefined;
    return { stem: carried, part };
  });
}
