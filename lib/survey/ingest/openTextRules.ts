import type { OpenTextQuestion } from "../config/cycleConfig.ts";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";

/** Codes an answer by a codebook's rules: the ids of the codes whose keyword or pattern it contains. */
export type OpenTextCoder = (answer: string) => string[];

/**
 * Compiles a codebook's first-pass rules: a keyword matches as a whole word or phrase of the
 * answer after normalisation (case, curly quotes, spaces), a pattern as a case-insensitive
 * regular expression. Codes come out in codebook order; an answer may carry several.
 *
 * @example compileCodebook(question)("Anti-racism training, and through supervision") // ["training", "supervision"]
 */
export function compileCodebook(question: Pick<OpenTextQuestion, "codebook">): OpenTextCoder {
  const rules = question.codebook.map((code) => ({
    id: code.id,
    tests: [
      ...code.keywords.map((keyword) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegExp(normalizeLabel(keyword))}(?:$|[^\\p{L}\\p{N}])`, "u")),
      ...code.patterns.map((pattern) => new RegExp(pattern, "iu")),
    ],
  }));
  return (answer) => {
    const text = normalizeLabel(answer);
    return rules.filter((rule) => rule.tests.some((test) => test.test(text) || test.test(answer))).map((rule) => rule.id);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
