import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { dateOrdersOf } from "../../sources/dateColumn.ts";
import type { CodedColumn, DelimitedAnswer, ExportLayout, OptionColumn, OptionColumns } from "./exportLayout.ts";
import type { RowProblem } from "../../ingest/rejectionReport.ts";
import { SERVICE_AREA } from "./batchFormat.ts";

export type { RowProblem } from "../../ingest/rejectionReport.ts";


/**
 * Validates one export record against the layout and writes its normalized row into
 * `target` at `at`. Returns false, after adding every problem found to `problems`, when the
 * record is invalid (then the bytes written are to be ignored).
 * Each answer is a map lookup of the cell in its scale's labels: no object is built per row.
 */
export function encodeRow(
  layout: ExportLayout,
  record: string[],
  row: number,
  target: Uint8Array,
  at: number,
  problems: RowProblem[],
): boolean {
  // A trailing delimiter on every row (a common hand edit) adds one empty field: harmless.
  if (record.length !== layout.columnCount && !(record.length === layout.columnCount + 1 && record[layout.columnCount] === "")) {
    problems.push(fieldCountProblem(layout, record, row));
    return false;
  }
  const before = problems.length;
  checkResponseId(layout, record, row, problems);
  checkSubmittedAt(layout, record, row, problems);
  encodeServiceArea(layout.serviceArea, record, row, target, at, problems);
  encodeItems(layout.items, record, row, target, at, problems);
  encodeSubgroupVariables(layout.subgroupVariables, record, row, target, at, problems);
  encodeMultiSelect(layout.multiSelect, record, row, target, at, problems);
  return problems.length === before;
}

/** A record with more or fewer fields than the header: none of its cells can be placed. */
function fieldCountProblem(layout: ExportLayout, record: string[], row: number): RowProblem {
  return {
    row,
    column: "(whole row)",
    value: `${record.length} field(s)`,
    expected: `${layout.columnCount} fields, as in the header row (check for an unquoted delimiter or a missing closing quote)`,
  };
}

/** The response id, when the export has one, is required: duplicates are told apart by it. */
function checkResponseId(layout: ExportLayout, record: string[], row: number, problems: RowProblem[]): void {
  if (layout.responseId < 0) return;
  const responseId = record[layout.responseId]!;
  if (responseId === "" || responseId.trim() === "") {
    problems.push({ row, column: layout.responseIdHeader, value: "", expected: "a response id (required)" });
  }
}

/**
 * The completion time, when the export has one, must be a date and time in a form survey tools
 * write, in either order: the column's order is settled from all its values (its evidence noted
 * here), and a column that needs both refuses the file.
 */
function checkSubmittedAt(layout: ExportLayout, record: string[], row: number, problems: RowProblem[]): void {
  if (layout.submittedAt < 0) return;
  const submittedAt = record[layout.submittedAt]!;
  // Kept as the source says (incomplete: include); left out before this when excluded.
  if (submittedAt.trim() === "") return;
  const orders = dateOrdersOf(submittedAt);
  layout.dates?.note(row, orders, () => submittedAt);
  if (orders !== 0) return;
  problems.push({
    row,
    column: layout.submittedAtHeader,
    value: clip(submittedAt),
    expected: `a date and time such as ${layout.dateOrder === "dmy" ? "20/01/2025 10:15" : "1/20/2025 10:15:00 AM"} or 2025-01-20T10:15:00Z (required)`,
  });
}

/** The service area is required: blank or "not answered" is a problem, not a missing answer. */
function encodeServiceArea(column: CodedColumn, record: string[], row: number, target: Uint8Array, at: number, problems: RowProblem[]): void {
  if (column.column < 0) {
    target[at + column.offset] = SERVICE_AREA.notAsked;
    return;
  }
  const serviceArea = codeOf(column, record[column.column]!);
  if (serviceArea === undefined || serviceArea === 0) pushProblem(problems, row, column, record, "(required) ");
  else target[at + column.offset] = serviceArea;
}

/**
 * The single-choice items: the hot loop, one label comparison per cell, no objects, no calls on
 * the common path.
 */
function encodeItems(items: CodedColumn[], record: string[], row: number, target: Uint8Array, at: number, problems: RowProblem[]): void {
  for (let c = 0; c < items.length; c++) {
    const column = items[c]!;
    const cell = record[column.column]!;
    let value = -1;
    if (cell === "") value = 0;
    else {
      const labels = column.labels;
      for (let k = 0; k < labels.length; k++) {
        if (labels[k] === cell) {
          value = column.labelCodes[k]!;
          break;
        }
      }
      if (value < 0) value = codeOf(column, cell) ?? -1;
    }
    if (value < 0) pushProblem(problems, row, column, record, "");
    else target[at + column.offset] = value;
  }
}

/** Each subgroup variable's value coded by its subgroup (blank and unclassified are 0). */
function encodeSubgroupVariables(variables: CodedColumn[], record: string[], row: number, target: Uint8Array, at: number, problems: RowProblem[]): void {
  for (const column of variables) {
    const value = codeOf(column, record[column.column]!);
    if (value === undefined) pushProblem(problems, row, column, record, "");
    else target[at + column.offset] = value;
  }
}

/** Each multi-select question's bits, cleared first, from its own columns or its one delimited cell. */
function encodeMultiSelect(questions: OptionColumns[], record: string[], row: number, target: Uint8Array, at: number, problems: RowProblem[]): void {
  for (const question of questions) {
    const start = at + question.offset;
    target.fill(0, start, start + ((question.optionCount + 7) >> 3));
    if (question.delimited) encodeDelimitedCell(question.delimited, record[question.delimited.column]!, row, target, start, problems);
    else encodeOptionColumns(question, record, row, target, start, problems);
  }
}

/** A cell's code: 0 for blank or "not answered", the label's (or code's) code, or undefined when not valid. */
export function codeOf(column: CodedColumn, cell: string): number | undefined {
  if (cell === "") return 0;
  const labels = column.labels;
  for (let k = 0; k < labels.length; k++) if (labels[k] === cell) return column.labelCodes[k];
  const relaxed = normalizeLabel(cell);
  if (relaxed === "") return 0;
  return column.codes.get(relaxed);
}

function encodeOptionColumns(question: OptionColumns, record: string[], row: number, target: Uint8Array, start: number, problems: RowProblem[]): void {
  const options = question.options;
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    const cell = record[option.column]!;
    if (cell === "") continue;
    const chosen = optionChoice(option, cell);
    if (chosen === 1) target[start + (option.index >> 3)]! |= 1 << (option.index & 7);
    else if (chosen === undefined) problems.push({ row, column: option.header, value: clip(cell), expected: option.expected });
  }
}

/** What an option's own column says: 1 chosen, 0 not chosen (or blank), undefined when it is neither. */
export function optionChoice(option: OptionColumn, cell: string): 0 | 1 | undefined {
  if (cell === "") return 0;
  // The marks as written first, without normalizing.
  if (option.chosen.has(cell)) return 1;
  if (option.notChosen.has(cell)) return 0;
  const value = normalizeLabel(cell);
  if (value === "" || option.notChosenNormalized.has(value)) return 0;
  if (option.chosenNormalized.has(value)) return 1;
  return undefined;
}

/** Every spelling of "chosen" and "not chosen" an option's column is read with as it stands. */
export function optionSpellings(option: OptionColumn): string[] {
  return [...option.chosen, ...option.notChosen, ...option.chosenNormalized, ...option.notChosenNormalized];
}

/**
 * Sets the bits (from `start`) of the choices one cell holds, separated as the answer says
 * (`A, B; C`), longest label first; adds a problem for a piece that is no choice.
 */
export function encodeDelimitedCell(answer: DelimitedAnswer, raw: string, row: number, target: Uint8Array, start: number, problems: RowProblem[]): void {
  if (raw === "") return;
  const cell = normalizeLabel(raw);
  const separator = answer.separator;
  let at = 0;
  while (at < cell.length) {
    while (at < cell.length && cell[at] === " ") at++;
    if (cell.startsWith(separator, at)) {
      at += separator.length;
      continue;
    }
    if (at >= cell.length) break;
    // Longest label first, so "Supporting leaders, managers" wins over "Supporting leaders".
    const choice = answer.choices.find(({ label }) => cell.startsWith(label, at) && endsPiece(cell, at + label.length, separator));
    if (choice === undefined) {
      const end = cell.indexOf(separator, at);
      const piece = cell.slice(at, end < 0 ? cell.length : end).trim();
      problems.push({ row, column: answer.header, value: clip(raw), expected: `${answer.expected}; "${piece}" is not one of the choices` });
      return;
    }
    target[start + (choice.index >> 3)]! |= 1 << (choice.index & 7);
    at += choice.label.length;
  }
}

function endsPiece(cell: string, at: number, separator: string): boolean {
  let i = at;
  while (i < cell.length && cell[i] === " ") i++;
  return i >= cell.length || cell.startsWith(separator, i);
}

function pushProblem(
  problems: RowProblem[],
  row: number,
  column: CodedColumn,
  record: string[],
  prefix: string,
): void {
  const value = record[column.column]!;
  problems.push({
    row,
    column: column.header,
    value: clip(value),
    expected: `${prefix}${column.expected}`,
  });
}

function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}...` : value;
}
