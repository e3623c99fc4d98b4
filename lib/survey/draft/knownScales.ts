import { normalizeLabel } from "../../sources/normalizeLabel.ts";

/** A scale the survey team uses again and again, as its cycle files write it. */
export interface KnownScale {
  id: string;
  /** The answers in display order, the ones left out of the base last. */
  categories: string[];
  /** The top two boxes (the top one for yes/no). */
  positive: string[];
  /** Answers left out of the base (don't know, not used). */
  excludedFromBase: string[];
}

/**
 * The scales `asye init` recognises from the answers it sees: the annual survey's own (as in
 * examples/asye-cf-2025/cycle.json) and the usual 4- and 5-point ones. A column is put on one of
 * these when every answer it holds is one of the scale's, or an answer like "Don't know".
 */
export const KNOWN_SCALES: readonly KnownScale[] = [
  scale("agree", ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"], ["Don't know"]),
  scale("useful", ["Very useful", "Useful", "Not very useful", "Not at all useful"], ["Not used"]),
  scale("ease", ["Very easy", "Fairly easy", "Fairly difficult", "Very difficult"], ["Don't know"]),
  scale("understanding", ["Very well", "Fairly well", "Not very well", "Not at all well"], []),
  scale("confidence", ["Very confident", "Fairly confident", "Not very confident", "Not at all confident"], ["Don't know"]),
  scale("involvement", ["Fully involved", "Partly involved", "Not involved"], ["Don't know"]),
  scale("yes-no", ["Yes", "No"], ["Don't know"], 1),
  scale("dfe-funding", ["Would offer it to the same number of NQSWs", "Would offer it to fewer NQSWs", "Would not offer the ASYE at all"], ["Don't know"], 1),
  scale("satisfied", ["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"], ["Don't know"]),
  scale("likely", ["Very likely", "Fairly likely", "Neither likely nor unlikely", "Fairly unlikely", "Very unlikely"], ["Don't know"]),
  scale("good-poor", ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"], ["Don't know"]),
  scale("excellent-poor", ["Excellent", "Good", "Fair", "Poor"], ["Don't know"]),
  scale("important", ["Very important", "Fairly important", "Not very important", "Not at all important"], ["Don't know"]),
  scale("helpful", ["Very helpful", "Fairly helpful", "Not very helpful", "Not at all helpful"], ["Don't know"]),
  scale("supported", ["Very well supported", "Fairly well supported", "Not very well supported", "Not at all supported"], ["Don't know"]),
  scale("frequency", ["Always", "Often", "Sometimes", "Rarely", "Never"], ["Don't know"]),
];

/**
 * Answers that say the question did not apply or could not be answered: proposed as left out
 * of the base (`excludedFromBase`) wherever they are seen.
 */
export const NOT_COUNTED_ANSWERS: readonly string[] = [
  "Don't know",
  "Do not know",
  "Not sure",
  "Can't say",
  "Not applicable",
  "N/A",
  "NA",
  "Not used",
  "Prefer not to say",
  "Rather not say",
  "No opinion",
];

const NOT_COUNTED = new Set(NOT_COUNTED_ANSWERS.map(normalizeLabel));

/** Whether an answer is one of the {@link NOT_COUNTED_ANSWERS} (compared as labels are). */
export function isNotCountedAnswer(answer: string): boolean {
  return NOT_COUNTED.has(normalizeLabel(answer));
}

/**
 * The known scale a column's answers are on: the one holding the most of them, when every answer
 * is one of its categories or a not-counted answer, and no other scale holds as many; otherwise
 * none. Answers are compared as labels are (case, curly quotes and spacing aside).
 *
 * @example recogniseScale(["Agree", "Strongly agree", "Don’t know"])?.id // "agree"
 */
export function recogniseScale(answers: readonly string[]): KnownScale | undefined {
  const keys = answers.map(normalizeLabel);
  let best: KnownScale | undefined;
  let bestHeld = 0;
  let tied = false;
  for (const known of KNOWN_SCALES) {
    const categories = new Set(known.categories.map(normalizeLabel));
    if (!keys.every((key) => categories.has(key) || NOT_COUNTED.has(key))) continue;
    const held = keys.filter((key) => categories.has(key) && !NOT_COUNTED.has(key)).length;
    if (held > bestHeld) [best, bestHeld, tied] = [known, held, false];
    else if (held === bestHeld && held > 0) tied = true;
  }
  return tied ? undefined : best;
}

function scale(id: string, answers: string[], notCounted: string[], positives = 2): KnownScale {
  return { id, categories: [...answers, ...notCounted], positive: answers.slice(0, positives), excludedFromBase: notCounted };
}
