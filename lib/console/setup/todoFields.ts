import { TODO_MARK } from "../../survey/draft/draftTodos.ts";
import { formatPath } from "../../validation/formatIssues.ts";

/** A step of a path into a cycle file's JSON: a key, or an array's index. */
export type Segment = string | number;

/** One question of the draft's form: a decision the draft left as `TODO: …`, and where its answer goes. */
export interface TodoField {
  /** The form field's name (`t0`, `t1`, …: short, so a long draft's form stays small). */
  name: string;
  /** Where the answer goes, and that path as the CLI writes it (`questionnaire.items[3].id`). */
  at: Segment[];
  path: string;
  /** Text; a whole number (a group's delivered count); or a list of answers (which are positive, which mean what). */
  kind: "text" | "whole-number" | "list";
  /** The TODO's question and hint, as the draft words them. */
  question: string;
  hint: string | undefined;
  /** What the draft proposes (the hint's suggested id, the export's header as wording); empty when nothing. */
  proposed: string[];
  /** A list's possible answers, when the draft knows them (a recognised scale's categories). */
  choices: string[] | undefined;
  /** Where the same answer is also written (a code's label goes under `codes` and in `categories`). */
  also: Segment[][];
  /** The part of the file it belongs to, as the form's fieldset names it ("Item 3: column “Q3”"). */
  section: string;
}

type Json = unknown;
interface Leaf {
  at: Segment[];
  text: string;
}

const isTodo = (value: Json): value is string => typeof value === "string" && value.trimStart().startsWith(TODO_MARK);

/**
 * The form's fields for a drafted cycle file: one per decision marked TODO, in the file's order.
 * An array of nothing but TODOs (`positive`, the service area's answers) is one list field; a
 * coded scale's label is asked once, for `codes` and `categories` both.
 */
export function todoFields(cycle: Json): TodoField[] {
  const leaves: Leaf[] = [];
  collectTodos(cycle, [], leaves);
  const fields: TodoField[] = [];
  const done = new Set<string>();
  for (const leaf of leaves) {
    const key = formatPath(leaf.at);
    if (done.has(key)) continue;
    const field = fieldOf(cycle, leaf, leaves, `t${fields.length}`);
    for (const at of [field.at, ...field.also]) done.add(formatPath(at));
    for (const other of leaves) if (formatPath(other.at.slice(0, -1)) === field.path) done.add(formatPath(other.at));
    fields.push(field);
  }
  return fields;
}

function collectTodos(value: Json, at: Segment[], found: Leaf[]): void {
  if (isTodo(value)) found.push({ at, text: value.trim() });
  else if (Array.isArray(value)) value.forEach((element, index) => collectTodos(element, [...at, index], found));
  else if (typeof value === "object" && value !== null) for (const [key, element] of Object.entries(value)) collectTodos(element, [...at, key], found);
}

function fieldOf(cycle: Json, found: Leaf, leaves: readonly Leaf[], name: string): TodoField {
  const leaf = codeOfCategory(cycle, found) ?? found;
  const { question, hint } = splitTodo(leaf.text);
  const parentAt = leaf.at.slice(0, -1);
  const parent = valueAt(cycle, parentAt);
  const key = leaf.at.at(-1);
  const base = { name, question, hint, choices: undefined, also: [] as Segment[][], section: sectionOf(cycle, leaf.at) };
  if (Array.isArray(parent) && typeof key === "number" && parent.every(isTodo) && parentAt.at(-1) !== "categories") {
    return { ...base, at: parentAt, path: formatPath(parentAt), kind: "list", proposed: [], choices: listChoices(cycle, parentAt) };
  }
  if (parentAt.at(-1) === "codes") {
    const also = leaves.filter((other) => other.text === leaf.text && isCategoryOf(other.at, parentAt.slice(0, -1))).map((other) => other.at);
    return { ...base, at: leaf.at, path: formatPath(leaf.at), kind: "text", proposed: [], also, hint: `The label the results show for code ${String(key)}: written under both codes and categories` };
  }
  return { ...base, at: leaf.at, path: formatPath(leaf.at), kind: key === "delivered" ? "whole-number" : "text", proposed: proposal(leaf.at, hint) };
}

/** A coded scale's category is asked as its code's label (the draft writes the same TODO in both places). */
function codeOfCategory(cycle: Json, leaf: Leaf): Leaf | undefined {
  if (leaf.at.at(-2) !== "categories") return undefined;
  const scaleAt = leaf.at.slice(0, -2);
  const codes = valueAt(cycle, [...scaleAt, "codes"]);
  if (typeof codes !== "object" || codes === null) return undefined;
  const code = Object.entries(codes).find(([, label]) => isTodo(label) && label.trim() === leaf.text)?.[0];
  return code === undefined ? undefined : { at: [...scaleAt, "codes", code], text: leaf.text };
}

function isCategoryOf(at: readonly Segment[], scaleAt: readonly Segment[]): boolean {
  return at.length === scaleAt.length + 2 && formatPath(at.slice(0, -2)) === formatPath(scaleAt) && at.at(-2) === "categories";
}

/** `TODO: question (hint)` → its question (capitalised) and hint. */
function splitTodo(text: string): { question: string; hint: string | undefined } {
  const match = /^TODO:?\s*(.*?)(?: \((.*)\))?$/su.exec(text);
  const capital = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);
  return { question: capital(match?.[1] ?? text), hint: match?.[2] === undefined ? undefined : capital(match[2]) };
}

/** What the draft proposes: an item's or question's suggested id, and the export's header as its wording. */
function proposal(at: readonly Segment[], hint: string | undefined): string[] {
  if (at[0] !== "questionnaire" || hint === undefined) return [];
  const id = at.at(-1) === "id" ? /e\.g\. ([a-z0-9][a-z0-9-]*)$/u.exec(hint)?.[1] : undefined;
  if (id !== undefined) return [id];
  const quoted = at.at(-1) === "text" ? /: ("(?:[^"\\]|\\.)*")$/u.exec(hint)?.[1] : undefined;
  return quoted === undefined ? [] : [JSON.parse(quoted) as string];
}

/** A scale's positive answers are chosen from its categories, once they are known (not left out of the base). */
function listChoices(cycle: Json, listAt: readonly Segment[]): string[] | undefined {
  if (listAt.at(-1) !== "positive") return undefined;
  const scale = valueAt(cycle, listAt.slice(0, -1)) as { categories?: Json; excludedFromBase?: Json } | undefined;
  const categories = Array.isArray(scale?.categories) ? scale.categories : [];
  if (categories.length === 0 || !categories.every((c): c is string => typeof c === "string" && !isTodo(c))) return undefined;
  const excluded = new Set(Array.isArray(scale?.excludedFromBase) ? scale.excludedFromBase : []);
  return categories.filter((category) => !excluded.has(category));
}

/** The value at a path, or undefined. */
export function valueAt(json: Json, at: readonly Segment[]): Json {
  let value = json;
  for (const segment of at) value = typeof value === "object" && value !== null ? (value as Record<Segment, Json>)[segment] : undefined;
  return value;
}

function sectionOf(cycle: Json, at: readonly Segment[]): string {
  const [first, second, index, fourth, option] = at;
  const column = (path: Segment[]) => Object.values((valueAt(cycle, [...path, "columns"]) ?? {}) as Record<string, string>)[0];
  if (first === "groups") return `Group “${String(valueAt(cycle, ["groups", second!, "id"]))}”`;
  if (first === "schedule") return "The survey's dates";
  if (first === "serviceArea") return "The service area's answers";
  if (first !== "questionnaire" || typeof index !== "number") return "The cycle";
  if (second === "scales") return `Scale “${String(valueAt(cycle, ["questionnaire", "scales", index, "id"]))}”`;
  if (second === "items") return `Item ${index + 1}: column “${column(["questionnaire", "items", index]) ?? ""}”`;
  if (second === "multiSelect" && fourth === "options" && typeof option === "number") {
    return `Multi-select question ${index + 1}, option ${option + 1}: column “${column(["questionnaire", "multiSelect", index, "options", option]) ?? ""}”`;
  }
  return second === "multiSelect" ? `Multi-select question ${index + 1}` : "The cycle";
}

/** The answer given to a field, as the cycle file holds it; undefined when none was given (the TODO then stays). */
function answerValue(field: TodoField, given: readonly string[]): Json {
  if (field.kind === "list") {
    const values = given.flatMap((value) => value.split(/\r?\n/u)).map((value) => value.trim()).filter((value) => value !== "");
    return values.length === 0 ? undefined : values;
  }
  const text = (given[0] ?? "").trim();
  if (text === "") return undefined;
  // A count that is not a whole number stays text, so the validator says what it expected.
  return field.kind === "whole-number" && /^\d{1,9}$/u.test(text) ? Number(text) : text;
}

/** The draft with each answered field's answer in its place(s); unanswered fields keep their TODO. */
export function applyAnswers(cycle: Json, fields: readonly TodoField[], answers: Readonly<Record<string, readonly string[]>>): Json {
  const filled = structuredClone(cycle);
  for (const field of fields) {
    const value = answerValue(field, answers[field.name] ?? []);
    if (value === undefined) continue;
    for (const at of [field.at, ...field.also]) {
      const parent = valueAt(filled, at.slice(0, -1)) as Record<Segment, Json>;
      parent[at.at(-1)!] = structuredClone(value);
    }
  }
  return filled;
}

/** Whether a field was answered (its TODO replaced). */
export function isAnswered(field: TodoField, answers: Readonly<Record<string, readonly string[]>>): boolean {
  return answerValue(field, answers[field.name] ?? []) !== undefined;
}
