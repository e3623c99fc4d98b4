import { type AnyCycle, parseAnyCycle } from "../../config/parseAnyCycle.ts";
import { cycleConfigSchema } from "../../survey/config/cycleConfig.ts";
import { openTodos } from "../../survey/draft/draftTodos.ts";
import { formatIssues, formatPath } from "../../validation/formatIssues.ts";
import { leaveOut, omitFields } from "./leaveOut.ts";
import { type CycleProblem, cycleProblems, problemOf } from "./problems.ts";
import { applyAnswers, isAnswered, type TodoField } from "./todoFields.ts";

/** The answers given so far, by form field. */
export type Answers = Readonly<Record<string, readonly string[]>>;

/** A draft's answers checked: the cycle when valid; else each problem beside its field, and those of no field apart. */
export interface DraftCheck {
  cycle: AnyCycle | undefined;
  filled: unknown;
  byField: Map<string, string[]>;
  unplaced: string[];
}

/**
 * Fills the answers into the draft and validates it exactly as `asye validate` and the store do
 * (parseAnyCycle), without the items and questions left out. While some TODOs are unanswered that
 * refusal lists only them, so the schema's problems with the answers already given are added
 * too, in the same formatter's words.
 */
export function checkDraft(cycle: unknown, fields: readonly TodoField[], answers: Answers, source: string): DraftCheck {
  const { filled, renumber } = leaveOut(applyAnswers(cycle, fields, answers), omitFields(fields), answers);
  const inDraft = (problem: CycleProblem): CycleProblem => ({ ...problem, path: problem.path === undefined ? undefined : renumber(problem.path) });
  try {
    return { cycle: parseAnyCycle(JSON.stringify(filled), source), filled, byField: new Map(), unplaced: [] };
  } catch (error) {
    const problems = cycleProblems(error);
    if (problems === undefined) throw error;
    const answered = fields.filter((field) => isAnswered(field, answers));
    const extra = openTodos(filled).length > 0 ? answeredProblems(filled, answered, inDraft) : [];
    return { cycle: undefined, filled, ...placeProblems([...problems.map(inDraft), ...extra], fields) };
  }
}

/** The survey schema's problems (the drafts are annual-survey cycle files) that concern answered fields. */
function answeredProblems(filled: unknown, answered: readonly TodoField[], inDraft: (problem: CycleProblem) => CycleProblem): CycleProblem[] {
  const result = cycleConfigSchema.safeParse(filled);
  if (result.success) return [];
  return formatIssues(result.error.issues)
    .map((text) => inDraft(problemOf(text)))
    .filter((problem) => answered.some((field) => concerns(field, problem.path)));
}

/** Whether a problem at `path` is about this field (its place, inside it, or where its answer is also written). */
function concerns(field: TodoField, path: string | undefined): boolean {
  if (path === undefined) return false;
  return [field.at, ...field.also].map(formatPath).some((at) => path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`));
}

/** Each problem beside the field it concerns (or the first field inside the part it names); the rest apart. */
export function placeProblems(problems: readonly CycleProblem[], fields: readonly TodoField[]): Pick<DraftCheck, "byField" | "unplaced"> {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const problem of problems) {
    const path = problem.path;
    const field = fields.find((candidate) => concerns(candidate, path)) ?? (path === undefined ? undefined : fields.find((candidate) => candidate.path.startsWith(`${path}.`) || candidate.path.startsWith(`${path}[`)));
    if (field === undefined) unplaced.push(problem.text);
    else byField.set(field.name, [...(byField.get(field.name) ?? []), problem.text]);
  }
  return { byField, unplaced };
}
