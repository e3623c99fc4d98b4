import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { OPTION_MARKS } from "../../sources/sourceSchema.ts";
import type { ColumnAnswers } from "./columnAnswers.ts";
import type { ExportFields } from "./exportFields.ts";
import { recogniseScale } from "./knownScales.ts";
import type { QuestionStem } from "./questionStems.ts";
import type { ExportAnswers } from "./readExportAnswers.ts";

/** What `asye init` takes an export column to be. */
export type ColumnRole =
  | { kind: "field"; field: "response id" | "completion time" | "service area" }
  | { kind: "left out"; why: string }
  /** A single-choice question: an item on a scale. */
  | { kind: "single choice"; answers: string[] }
  /** One option of a multi-select question, in a column of its own: its label when the export shows it, and the mark that means chosen. */
  | { kind: "option"; stem: QuestionStem | undefined; label: string | undefined; mark: string | undefined; answers: string[] }
  /** A multi-select question whose every choice is in one cell. */
  | { kind: "every choice"; options: string[]; separator: string };

/** Columns of the survey tools themselves, never questions (compared as labels are). */
const TOOL_COLUMNS = new Set(
  [
    "id", "response id", "respondent id", "responseid", "respondentid", "userno", "unique id", "collector id", "custom data 1", "token",
    "name", "email", "email address", "first name", "last name", "ip address", "ipaddress", "status", "progress", "finished",
    "duration (in seconds)", "started", "start date", "startdate", "start time", "end date", "enddate", "completed", "ended",
    "completion time", "last modified time", "recordeddate", "submitdate", "timestamp", "submitted_at", "response_id", "lastpage",
    "startlanguage", "seed", "datestamp", "refurl", "ipaddr", "recipientlastname", "recipientfirstname", "recipientemail",
    "externalreference", "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage",
  ].map(normalizeLabel),
);
const NEVER_ANSWERED: ColumnRole = { kind: "left out", why: "never answered" };
/** More different answers than this (or, from eight, more than one in four answers different) is free text, not a scale. */
const MOST_SCALE_ANSWERS = 25;

/**
 * What each column of an export is: a field every response has, a single-choice question, an
 * option of a multi-select question (one column per option, grouped by the question its name
 * shows: `stems`), a multi-select question with every choice in one cell, or left out (the
 * tool's own columns, never answered, free text), each with why.
 */
export function classifyColumns(answers: ExportAnswers, fields: ExportFields, stems: readonly (QuestionStem | undefined)[]): ColumnRole[] {
  const fieldAt = new Map<number, ColumnRole>();
  if (fields.responseId !== "@row") fieldAt.set(fields.responseId, { kind: "field", field: "response id" });
  if (fields.submittedAt !== undefined) fieldAt.set(fields.submittedAt, { kind: "field", field: "completion time" });
  if (fields.serviceArea !== undefined) fieldAt.set(fields.serviceArea.column, { kind: "field", field: "service area" });
  const seen = new Set<string>();
  const roles = answers.names.map((name, c): ColumnRole => {
    const repeated = seen.has(name);
    seen.add(name);
    if (fieldAt.has(c)) return fieldAt.get(c)!;
    if (name.trim() === "") return { kind: "left out", why: "it has no header" };
    if (repeated) return { kind: "left out", why: "its header appears twice: a cycle file cannot name it" };
    if (TOOL_COLUMNS.has(normalizeLabel(name))) return { kind: "left out", why: `${answers.preset.name}'s own column, no question` };
    return roleOfAnswers(name, stems[c], answers.columns[c]!, answers.source.missing);
  });
  return keepOptionsInGroups(roles);
}

/** A question's column, by what it holds. */
function roleOfAnswers(name: string, stem: QuestionStem | undefined, column: ColumnAnswers, missing: readonly string[]): ColumnRole {
  const notAnswered = new Set(missing.map(normalizeLabel));
  const answers = column.distinct.filter((answer) => !notAnswered.has(normalizeLabel(answer)));
  // An option no one chose is blank (or "not answered") all the way down: whether it is one, its neighbours say.
  if (answers.length === 0 && !column.overflowed) return stem === undefined ? NEVER_ANSWERED : { kind: "option", stem, label: isCode(stem.part) ? undefined : stem.part, mark: undefined, answers: [] };
  if (holdsEveryChoice(column) && (column.overflowed || recogniseScale(answers) === undefined)) {
    return { kind: "every choice", options: [...column.pieces.counts.keys()], separator: column.separator! };
  }
  const option = column.overflowed ? undefined : optionOf(name, stem, answers);
  if (option !== undefined) return option;
  if (!column.overflowed && recogniseScale(answers) !== undefined) return { kind: "single choice", answers };
  if (column.overflowed || answers.length > MOST_SCALE_ANSWERS || (answers.length >= 8 && answers.length > column.answered / 4)) {
    return { kind: "left out", why: column.overflowed ? "free text (many different answers)" : `free text (${answers.length} different answers)` };
  }
  return { kind: "single choice", answers };
}

/**
 * Whether a column holds every choice of a multi-select question in one cell: some cells hold
 * several pieces between the tool's separators (or every cell ends with one, as `A;`), and there
 * are more different cells than pieces, or most cells hold several. An answer with the separator
 * in it (`Black, African, Caribbean or Black British`) makes neither.
 */
function holdsEveryChoice(column: ColumnAnswers): boolean {
  if (column.separator === undefined || column.pieces.overflowed) return false;
  const everyCellEnds = column.endingWithSeparator === column.answered;
  if (column.severalPieces === 0 && !everyCellEnds) return false;
  return column.overflowed || column.answers.counts.size > column.pieces.counts.size || column.severalPieces > column.answered / 2 || everyCellEnds;
}

/**
 * An option's own column: every answer is a "not chosen" mark or one chosen mark (`1`, `Y`,
 * `x`, …) or the option's label (the end of the column's name). Its label is that answer, or the
 * part of the name after the question's when that is no code (`SQ001`, `1`).
 */
function optionOf(name: string, stem: QuestionStem | undefined, answers: readonly string[]): ColumnRole | undefined {
  const notChosen = new Set(OPTION_MARKS.notChosen.map(normalizeLabel));
  const chosen = answers.filter((answer) => !notChosen.has(normalizeLabel(answer)));
  if (chosen.length > 1) return undefined;
  const partLabel = stem !== undefined && !isCode(stem.part) ? stem.part : undefined;
  const mark = chosen[0];
  const option = { kind: "option" as const, stem, answers: [...answers] };
  if (mark === undefined) return { ...option, label: partLabel, mark };
  if (OPTION_MARKS.chosen.some((known) => normalizeLabel(known) === normalizeLabel(mark))) return { ...option, label: partLabel, mark };
  if (normalizeLabel(name).endsWith(normalizeLabel(mark))) return { ...option, label: mark, mark };
  return undefined;
}

/** Whether a part of a column name is a code rather than words (`SQ001`, `1`, `a`). */
export function isCode(text: string): boolean {
  return /^[A-Za-z]{0,5}\d*$/u.test(text) && (text.length <= 2 || /\d/u.test(text));
}

/**
 * Options are kept only where two or more columns side by side belong to one question (the same
 * stem) and one of them at least was chosen: a lone column of marks is a question of its own (yes
 * / no), read as single choice, and a lone blank one was never answered.
 */
function keepOptionsInGroups(roles: ColumnRole[]): ColumnRole[] {
  const kept = [...roles];
  for (let start = 0; start < roles.length; ) {
    const stem = stemOfOption(roles[start]);
    let end = start + 1;
    while (stem !== undefined && end < roles.length && stemOfOption(roles[end]) === stem) end++;
    const run = roles.slice(start, end) as Extract<ColumnRole, { kind: "option" }>[];
    const isQuestion = run.length >= 2 && run.some((role) => role.mark !== undefined);
    if (roles[start]!.kind === "option" && !isQuestion) {
      run.forEach((role, i) => (kept[start + i] = role.answers.length === 0 ? NEVER_ANSWERED : { kind: "single choice", answers: role.answers }));
    }
    start = end;
  }
  return kept;
}

function stemOfOption(role: ColumnRole | undefined): string | undefined {
  return role?.kind === "option" ? (role.stem?.stem ?? "") : undefined;
}
