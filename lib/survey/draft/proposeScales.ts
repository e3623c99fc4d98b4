import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { todo } from "./draftTodos.ts";
import { isNotCountedAnswer, type KnownScale, recogniseScale } from "./knownScales.ts";

/** A scale as the draft writes it (`questionnaire.scales[]`). */
export interface DraftScale {
  id: string;
  categories: string[];
  positive: string[];
  excludedFromBase: string[];
  codes?: Record<string, string>;
}

/** A proposed scale and the columns put on it: a known scale, answer codes, or answers not recognised. */
export interface ProposedScale {
  kind: "known" | "codes" | "answers";
  scale: DraftScale;
  columns: number[];
}

/** A single-choice column, the distinct answers it holds, and the question its name shows it belongs to, if any. */
export interface SingleChoiceColumn {
  column: number;
  answers: string[];
  stem: string | undefined;
}

/** Answers that are codes, not words: `1`, `-1`, `AO01`, `A1`, `E6`. */
const ANSWER_CODE = /^(-?\d{1,3}|[A-Za-z]{1,3}\d{1,3})$/u;

/**
 * Scales for the single-choice columns, grouping the columns whose answers fit the same scale:
 * - a known scale ({@link recogniseScale}), whole, with any not-counted answer seen ("Not
 *   applicable") added and left out of the base; its top two answers positive;
 * - answer codes (`1`…`5`, LimeSurvey's `AO01`…), which say nothing of their meaning: one scale
 *   per question (the columns of one matrix question share it), each code's label, and which
 *   are positive, marked TODO;
 * - other answers: one scale per set of answers, in the order first seen, not-counted ones last
 *   and left out of the base, which are positive marked TODO.
 */
export function proposeScales(columns: readonly SingleChoiceColumn[]): ProposedScale[] {
  const proposed = new Map<string, ProposedScale>();
  let codeSets = 0;
  let answerSets = 0;
  for (const { column, answers, stem } of columns) {
    const known = recogniseScale(answers);
    const codes = known === undefined && answers.every((answer) => ANSWER_CODE.test(answer)) ? sortedCodes(answers) : undefined;
    const key = known !== undefined ? `known:${known.id}` : codes !== undefined ? `codes:${stem ?? `column ${column}`}` : `answers:${[...answers.map(normalizeLabel)].sort().join("\u0000")}`;
    let scale = proposed.get(key);
    if (scale === undefined) {
      if (known !== undefined) scale = { kind: "known", scale: knownScale(known), columns: [] };
      else if (codes !== undefined) scale = { kind: "codes", scale: codedScale(`codes-${++codeSets}`, codes), columns: [] };
      else scale = { kind: "answers", scale: answersScale(`answers-${++answerSets}`, answers), columns: [] };
      proposed.set(key, scale);
    }
    if (known !== undefined) addNotCounted(scale.scale, answers);
    if (codes !== undefined) addCodes(scale.scale, codes);
    scale.columns.push(column);
  }
  return [...proposed.values()];
}

function knownScale(known: KnownScale): DraftScale {
  return { id: known.id, categories: [...known.categories], positive: [...known.positive], excludedFromBase: [...known.excludedFromBase] };
}

/** A known scale also holds the not-counted answers a column gave besides its own ("Not applicable"). */
function addNotCounted(scale: DraftScale, answers: readonly string[]): void {
  const held = new Set(scale.categories.map(normalizeLabel));
  for (const answer of answers) {
    if (held.has(normalizeLabel(answer))) continue;
    held.add(normalizeLabel(answer));
    scale.categories.push(answer);
    scale.excludedFromBase.push(answer);
  }
}

function codedScale(id: string, codes: readonly string[]): DraftScale {
  const scale: DraftScale = { id, categories: [], positive: [todo("which answers are positive?", "their labels, as in categories")], excludedFromBase: [], codes: {} };
  addCodes(scale, codes);
  return scale;
}

/** The codes a question's columns hold, each with its label TODO (the same in categories and codes), in code order. */
function addCodes(scale: DraftScale, codes: readonly string[]): void {
  const all = sortedCodes([...new Set([...Object.keys(scale.codes ?? {}), ...codes])]);
  const label = (code: string) => todo(`the answer coded ${code}`, "its label, the same here and under codes; add any code this export does not show");
  scale.categories = all.map(label);
  scale.codes = Object.fromEntries(all.map((code) => [code, label(code)]));
}

function answersScale(id: string, answers: readonly string[]): DraftScale {
  const notCounted = answers.filter(isNotCountedAnswer);
  const counted = answers.filter((answer) => !isNotCountedAnswer(answer));
  const hint = `one or more of the categories, e.g. ${counted.slice(0, 2).map((answer) => JSON.stringify(answer)).join(", ")}; put the categories in display order; if the column is no question reported as a share (ethnicity, a role), move it to questionnaire.subgroupVariables or delete its item`;
  return { id, categories: [...counted, ...notCounted], positive: [todo("which answers are positive?", hint)], excludedFromBase: notCounted };
}

/** Codes in their natural order (`2` before `10`, `AO01` before `AO02`). */
function sortedCodes(codes: readonly string[]): string[] {
  return [...codes].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}
