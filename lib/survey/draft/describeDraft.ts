import { isCode } from "./classifyColumns.ts";
import type { ProposedMultiSelect } from "./proposeMultiSelects.ts";
import type { CycleDraft } from "./draftCycle.ts";
import { openTodos, TODO_GUIDE } from "./draftTodos.ts";

/** Where the draft went and which export it came from, for the next steps. */
export interface DraftWritten {
  /** The draft's file, or undefined when it was printed. */
  out: string | undefined;
  exportFile: string;
}

/** At most this many labels are shown per scale or question. */
const SHOWN_LABELS = 8;

/**
 * What `asye init` says about a draft, for a person: how the export was read, the columns of the
 * fields every response has, each scale with its columns, each multi-select question, the columns
 * left out and why, what is left to decide, and how to check the draft once decided.
 */
export function describeDraft(draft: CycleDraft, written: DraftWritten): string[] {
  return [
    `Drafted a cycle file from ${draft.answers.file}${written.out === undefined ? "" : ` into ${written.out}`}`,
    ...readLines(draft),
    ...scaleLines(draft),
    ...multiSelectLines(draft.multiSelect),
    ...leftOutLines(draft),
    ...nextSteps(draft, written),
  ];
}

function readLines(draft: CycleDraft): string[] {
  const { answers, fields, group } = draft;
  const by = { header: "recognised from its header", option: "as --tool says", default: "no tool recognised: read as our own CSV layout; --tool to choose one" }[answers.settledBy];
  const facts = answers.facts;
  const text = facts.format === "xlsx" ? "xlsx workbook" : `delimited text, ${facts.encoding ?? "utf-8"}, delimiter ${JSON.stringify(facts.delimiter)}`;
  const column = (c: number | undefined) => (c === undefined ? undefined : `column ${c + 1} ${JSON.stringify(answers.names[c])}`);
  const service = fields.serviceArea === undefined ? undefined : answers.columns[fields.serviceArea.column]!.distinct;
  return [
    `  read as:          ${answers.preset.name} export (${by}), ${text}; ${count(answers.source.headerRows, "header row")}; ${count(answers.responses, "response")} in ${count(answers.names.length, "column")}${answers.unreadableRows > 0 ? `; ${count(answers.unreadableRows, "row")} could not be read` : ""}`,
    ...(answers.looksLike.length > 1 ? [`  also looks like:  ${answers.looksLike.slice(1).map((preset) => preset.name).join(", ")}`] : []),
    ...(facts.warnings ?? []).map((warning) => `  warning:          ${warning}`),
    ...(answers.responses === 0 ? ["  warning:          the export has no responses: with no answers to read, no scale or question is proposed"] : []),
    `  group:            ${group.id} (${group.from === "option" ? "as --group says" : "from the file's name; --group <id> to choose another"})`,
    `  response id:      ${fields.responseId === "@row" ? 'none: responses are numbered by row ("@row")' : column(fields.responseId)}`,
    `  completion time:  ${column(fields.submittedAt) ?? "none found"}`,
    `  service area:     ${fields.serviceArea === undefined ? "none found: responses are counted without the child and family / both split (name it under source.columns.serviceArea if the export has it)" : `${column(fields.serviceArea.column)}: ${shown(service!)}${fields.serviceArea.answersKnown ? "" : " (TODO: which answers mean what)"}`}`,
  ];
}

function scaleLines(draft: CycleDraft): string[] {
  const lines = [`  ${count(draft.scales.length, "scale")} and their ${count(draft.cycle.questionnaire.items.length, "item")}:`];
  for (const { kind, scale, columns } of draft.scales) {
    const what = { known: "recognised", codes: "answer codes: TODO their labels and which are positive", answers: "not recognised: TODO which answers are positive" }[kind];
    const labels = kind === "codes" ? Object.keys(scale.codes ?? {}) : scale.categories;
    lines.push(`    ${scale.id} (${what}): ${shown(labels)}`);
    if (kind !== "codes") lines.push(`      positive: ${kind === "known" ? scale.positive.join(", ") : "TODO"}; left out of the base: ${scale.excludedFromBase.join(", ") || "none"}`);
    // A matrix question's columns differ only in their part ("… - Website resources"): that is what is shown.
    const names = columns.map((c) => JSON.stringify(clipped(draft.stems[c] !== undefined && !isCode(draft.stems[c]!.part) ? `… ${draft.stems[c]!.part}` : draft.answers.names[c]!)));
    lines.push(`      ${count(columns.length, "item")}: ${names.slice(0, 3).join(", ")}${names.length > 3 ? `, … (${names.length - 3} more)` : ""}`);
  }
  return lines;
}

function multiSelectLines(questions: readonly ProposedMultiSelect[]): string[] {
  if (questions.length === 0) return ["  multi-select questions: none found"];
  return [
    `  ${count(questions.length, "multi-select question")}:`,
    ...questions.flatMap(({ name, layout, marks, question }) => {
      const how = question.delimited === undefined ? `${layout}${marks.length > 0 ? `, chosen when marked ${marks.map((mark) => JSON.stringify(mark)).join(" or ")}` : ", chosen when the cell is the option's label"}` : `${layout}, separated by ${JSON.stringify(Object.values(question.delimited)[0]!.separator)}`;
      return [`    ${JSON.stringify(clipped(name))}: ${how}`, `      ${count(question.options.length, "option")}: ${shown(question.options.map((option) => (option.label.startsWith("TODO") ? "TODO" : option.label)))}`];
    }),
  ];
}

function leftOutLines(draft: CycleDraft): string[] {
  const left = draft.roles.flatMap((role, c) => (role.kind === "left out" ? [`    column ${c + 1} ${JSON.stringify(clipped(draft.answers.names[c]!))}: ${role.why}`] : []));
  if (left.length === 0) return [];
  return ["  left out of the draft (not questions; add any you want, e.g. free text under questionnaire.openText):", ...left];
}

function nextSteps(draft: CycleDraft, written: DraftWritten): string[] {
  const file = written.out ?? "<draft.json>";
  return [
    `  to decide:        ${count(draft.todos, "value")} marked "TODO: …": ${todoSummary(draft)}`,
    ...(written.out === undefined ? ["  saved:            nowhere: the draft is printed on standard output; --out <file> writes it to a file"] : []),
    `  next:             replace each TODO in ${file} with your answer (${TODO_GUIDE}), then run`,
    `                    asye check ${file} ${draft.group.id} ${written.exportFile}`,
    "                    until it passes: check lists every TODO still open.",
  ];
}

/** Where the TODOs are, by section: `the cycle's id, title and dates; 23 items; 1 scale; …`. */
function todoSummary(draft: CycleDraft): string {
  const sections = new Map<string, Set<string>>();
  for (const { path } of openTodos(draft.cycle)) {
    const match = /^questionnaire\.(scales|items|multiSelect)\[(\d+)\]/u.exec(path);
    const section = match?.[1] ?? (path.startsWith("groups") ? "group" : path.startsWith("serviceArea") ? "serviceArea" : "cycle");
    sections.set(section, (sections.get(section) ?? new Set()).add(match?.[2] ?? path));
  }
  const inSection = (section: string) => sections.get(section)?.size ?? 0;
  const parts = [
    sections.has("cycle") ? "the cycle's id, title and dates" : "",
    sections.has("group") ? "the group's label and delivered count" : "",
    sections.has("serviceArea") ? "which service-area answers mean what" : "",
    inSection("items") > 0 ? `the ids and wording of ${count(inSection("items"), "item")}` : "",
    inSection("scales") > 0 ? `the answers of ${count(inSection("scales"), "scale")} (labels, which are positive)` : "",
    inSection("multiSelect") > 0 ? `the ids and wording of ${count(inSection("multiSelect"), "multi-select question")}` : "",
  ];
  return parts.filter((part) => part !== "").join("; ");
}

/** `1 item`, `3 items`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A long column name cut to its first words, for a line of the terminal. */
function clipped(name: string, length = 64): string {
  return name.length <= length ? name : `${name.slice(0, length - 1).trimEnd()}…`;
}

function shown(labels: readonly string[]): string {
  const quoted = labels.slice(0, SHOWN_LABELS).join(" | ");
  return labels.length > SHOWN_LABELS ? `${quoted} | … (${labels.length} in all)` : quoted;
}
