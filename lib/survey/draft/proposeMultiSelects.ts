import type { ColumnRole } from "./classifyColumns.ts";
import { todo } from "./draftTodos.ts";
import { uniqueSlug } from "./slugOf.ts";

/** A multi-select question as the draft writes it (`questionnaire.multiSelect[]`). */
export interface DraftMultiSelect {
  id: string;
  text: string;
  options: { id: string; label: string; columns: Record<string, string> }[];
  delimited?: Record<string, { column: string; separator: string }>;
}

/** A proposed multi-select question: the draft's, and for people how it was found. */
export interface ProposedMultiSelect {
  question: DraftMultiSelect;
  /** The question as the export names it (its stem, or its one column). */
  name: string;
  layout: "one column per option" | "every choice in one cell";
  /** Marks read as chosen in the options' own columns (besides their labels). */
  marks: string[];
}

/**
 * Multi-select questions from the columns' roles: side-by-side option columns of one question
 * (their labels from the export where it shows them, else TODO), and columns holding every
 * choice in one cell (their options the pieces seen between separators). Ids come from the
 * labels; the question's id and wording are TODO.
 */
export function proposeMultiSelects(names: readonly string[], roles: readonly ColumnRole[], group: string): ProposedMultiSelect[] {
  const proposed: ProposedMultiSelect[] = [];
  const ids = new Set<string>();
  roles.forEach((role, c) => {
    if (role.kind === "every choice") proposed.push(everyChoiceInOneCell(names[c]!, role, group, ids));
    if (role.kind !== "option") return;
    const previous = roles[c - 1];
    const continues = previous?.kind === "option" && previous.stem?.stem === role.stem?.stem;
    if (!continues) proposed.push(newQuestion(role.stem?.stem ?? names[c]!, "one column per option", ids));
    addOption(proposed[proposed.length - 1]!, names[c]!, role, group);
  });
  return proposed;
}

function newQuestion(name: string, layout: ProposedMultiSelect["layout"], ids: Set<string>): ProposedMultiSelect {
  const suggested = uniqueSlug(name, ids, "question");
  return {
    question: {
      id: todo("an id for this question", `lower-case letters, digits and dashes, e.g. ${suggested}`),
      text: todo("the question's wording in the report", `the export's: ${JSON.stringify(name)}`),
      options: [],
    },
    name,
    layout,
    marks: [],
  };
}

function addOption(proposed: ProposedMultiSelect, column: string, role: Extract<ColumnRole, { kind: "option" }>, group: string): void {
  const taken = new Set(proposed.question.options.map((option) => option.id));
  const marked = role.mark === undefined ? "never chosen in this export" : `marked ${JSON.stringify(role.mark)} when chosen`;
  const label = role.label ?? todo("this option's label", `column ${JSON.stringify(column)}, ${marked}`);
  const id = role.label !== undefined ? uniqueSlug(role.label, taken, "option") : todo("an id for this option", "lower-case letters, digits and dashes");
  proposed.question.options.push({ id, label, columns: { [group]: column } });
  if (role.mark !== undefined && role.mark !== role.label && !proposed.marks.includes(role.mark)) proposed.marks.push(role.mark);
}

function everyChoiceInOneCell(column: string, role: Extract<ColumnRole, { kind: "every choice" }>, group: string, ids: Set<string>): ProposedMultiSelect {
  const proposed = newQuestion(column, "every choice in one cell", ids);
  const taken = new Set<string>();
  proposed.question.options = role.options.map((label) => ({ id: uniqueSlug(label, taken, "option"), label, columns: {} }));
  proposed.question.delimited = { [group]: { column, separator: role.separator } };
  return proposed;
}
