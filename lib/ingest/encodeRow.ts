import { type CodedColumn, type ExportLayout, FIXED_COLUMNS, normalize } from "./exportLayout.ts";

/** One reason a row was rejected: the row, the column, the value found and what was expected. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  expected: string;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const UK_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: ([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?$/;

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
  if (record.length !== layout.columnCount) {
    problems.push({
      row,
      column: "(whole row)",
      value: `${record.length} field(s)`,
      expected: `${layout.columnCount} fields, as in the header row (check for an unquoted comma or a missing closing quote)`,
    });
    return false;
  }
  const before = problems.length;

  const responseId = record[layout.responseId]!;
  if (responseId === "" || responseId.trim() === "") {
    problems.push({ row, column: FIXED_COLUMNS.responseId, value: "", expected: "a response id (required)" });
  }
  const submittedAt = record[layout.submittedAt]!;
  if (!isDateTime(submittedAt)) {
    problems.push({
      row,
      column: FIXED_COLUMNS.submittedAt,
      value: submittedAt,
      expected: "a date and time such as 2025-01-20T10:15:00Z or 20/01/2025 10:15 (required)",
    });
  }
  const serviceArea = code(layout.serviceArea, record[layout.serviceArea.column]!, false);
  if (serviceArea === undefined) pushProblem(problems, row, layout.serviceArea, record, "(required) ");
  else target[at] = serviceArea;

  // The hot loop: one label comparison per cell, no objects, no calls on the common path.
  const items = layout.items;
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
      if (value < 0) value = code(column, cell, true) ?? -1;
    }
    if (value < 0) pushProblem(problems, row, column, record, "");
    else target[at + column.offset] = value;
  }
  for (const column of layout.subgroupVariables) {
    const value = code(column, record[column.column]!, true);
    if (value === undefined) pushProblem(problems, row, column, record, "");
    else target[at + column.offset] = value;
  }

  for (const question of layout.multiSelect) {
    const options = question.options;
    const start = at + question.offset;
    target.fill(0, start, start + ((options.length + 7) >> 3));
    for (let i = 0; i < options.length; i++) {
      const cell = record[options[i]!.column]!;
      if (cell !== "" && cell.trim() !== "") target[start + (i >> 3)]! |= 1 << (i & 7);
    }
  }
  return problems.length === before;
}

/** A cell's code: 0 for blank (when allowed), the label's code, or undefined when not valid. */
function code(column: CodedColumn, cell: string, blankAllowed: boolean): number | undefined {
  if (cell === "") return blankAllowed ? 0 : undefined;
  const labels = column.labels;
  for (let k = 0; k < labels.length; k++) if (labels[k] === cell) return column.labelCodes[k];
  const relaxed = normalize(cell);
  if (relaxed === "") return blankAllowed ? 0 : undefined;
  return column.codes.get(relaxed);
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

function isDateTime(value: string): boolean {
  const text = value.trim();
  const iso = ISO_DATE_TIME.exec(text);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const uk = UK_DATE_TIME.exec(text);
  if (uk) return validDay(Number(uk[3]), Number(uk[2]), Number(uk[1]));
  return false;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0);
}
