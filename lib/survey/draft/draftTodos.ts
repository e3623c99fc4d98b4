import { CycleConfigError } from "../../errors.ts";
import { formatPath } from "../../validation/formatIssues.ts";

/** How every decision a drafted cycle file leaves to a person begins: a string value `TODO: …`. */
export const TODO_MARK = "TODO";

/** Where the survey team's guide says how a draft's TODOs are answered. */
export const TODO_GUIDE = 'docs/survey-team.md, "Drafting a cycle file from an export"';

/**
 * A decision left to a person, written where its answer goes: the question, and what the export
 * suggests (`asye init` writes these; a cycle file holding one is refused until it is answered).
 *
 * @example todo("which answers are positive?", 'e.g. "Very good", "Good"') // 'TODO: which answers are positive? (e.g. "Very good", "Good")'
 */
export function todo(question: string, hint?: string): string {
  return `${TODO_MARK}: ${question}${hint === undefined ? "" : ` (${hint})`}`;
}

/** One decision still marked TODO in a cycle file: where it is, and what it asks. */
export interface OpenTodo {
  path: string;
  text: string;
}

/**
 * Every string value of a parsed JSON document that begins with `TODO`, with its path written as
 * the cycle file's problems are (`questionnaire.items[3].id`), in the file's order.
 *
 * @example openTodos({ groups: [{ label: "TODO: the group's name" }] }) // [{ path: "groups[0].label", text: "TODO: the group's name" }]
 */
export function openTodos(json: unknown): OpenTodo[] {
  const found: OpenTodo[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === "string") {
      if (value.trimStart().startsWith(TODO_MARK)) found.push({ path: formatPath(path), text: value.trim() });
    } else if (Array.isArray(value)) {
      value.forEach((element, index) => visit(element, [...path, index]));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, element] of Object.entries(value)) visit(element, [...path, key]);
    }
  };
  visit(json, []);
  return found;
}

/**
 * Refuses a cycle file that still holds a drafted decision (a value `TODO: …`, as `asye init`
 * writes them): one problem per TODO, naming its path and its question, and one line saying how
 * to answer them. Such a file is never read further, so a draft can never be ingested half decided.
 */
export function refuseOpenTodos(json: unknown, source: string): void {
  const todos = openTodos(json);
  if (todos.length === 0) return;
  const decisions = todos.length === 1 ? "1 decision is" : `${todos.length} decisions are`;
  throw new CycleConfigError(source, [
    ...todos.map(({ path, text }) => `${path}: ${text}`),
    `${decisions} still marked TODO: replace each "TODO: …" string with your answer (${TODO_GUIDE})`,
  ]);
}
