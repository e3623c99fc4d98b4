import { type CycleConfig, groupsAskedMultiSelect, type MultiSelectQuestion, type Scale } from "../config/cycleConfig.ts";
import { FileRejectedError } from "../../errors.ts";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import type { DateOrder } from "../../sources/sourceSchema.ts";
import { DateColumn } from "../../sources/dateColumn.ts";
import { ROW_NUMBER_ID, type ResolvedSource, resolveSource } from "../../sources/resolveSource.ts";
import type { BatchHeader } from "./batchFormat.ts";
import { describeHeaderMismatch } from "../../ingest/headerMismatch.ts";
import { quoteList } from "../../ingest/quoteList.ts";
import { compileCodebook, type OpenTextCoder } from "./openTextRules.ts";

/** A column whose cell is looked up in a list of allowed labels (or codes). */
export interface CodedColumn {
  id: string;
  header: string;
  column: number;
  /** Row offset of the encoded byte. */
  offset: number;
  /** Labels as written in the cycle file and their codes, tried first with `===` (cheaper than hashing). */
  labels: string[];
  labelCodes: number[];
  /** Normalized label, code or "not answered" value → code (0 = not answered). */
  codes: Map<string, number>;
  /** The "not answered" values as the cycle file and the source write them. */
  missing: readonly string[];
  /** What a valid cell is, for error messages. */
  expected: string;
}

/** One option of a multi-select question with its own column. */
export interface OptionColumn {
  id: string;
  header: string;
  column: number;
  /** The option's position in the question (its bit in the normalized row). */
  index: number;
  /** Cells that mean chosen, as written (tried first, as they stand) and normalized. */
  chosen: ReadonlySet<string>;
  chosenNormalized: ReadonlySet<string>;
  /** Cells that mean not chosen (the source's "not answered" values among them), as written and normalized. */
  notChosen: ReadonlySet<string>;
  notChosenNormalized: ReadonlySet<string>;
  expected: string;
}

/** An open-text question's column and the rules that code its answers (the text is never kept). */
export interface OpenTextColumn {
  id: string;
  header: string;
  column: number;
  code: OpenTextCoder;
}

/** A multi-select answer held in one cell: the choices, longest label first, and their separator. */
export interface DelimitedAnswer {
  header: string;
  column: number;
  separator: string;
  /** Normalized option labels with the option's index, longest first. */
  choices: { label: string; index: number }[];
  expected: string;
}

/** A multi-select question's columns: one per option, or one delimited cell. */
export interface OptionColumns {
  id: string;
  offset: number;
  optionCount: number;
  options: OptionColumn[];
  delimited?: DelimitedAnswer;
}

/** Where each field of one group's export is, and where it goes in a normalized row. */
export interface ExportLayout {
  cycleId: string;
  group: string;
  columnCount: number;
  /** Column of the response id, or -1 when responses are numbered by row. */
  responseId: number;
  responseIdHeader: string;
  /** Column of the completion time, or -1 when the export has none (and the source allows that). */
  submittedAt: number;
  submittedAtHeader: string;
  dateOrder: DateOrder;
  /** Whether a blank completion time marks an incomplete response, left out (else it is kept). */
  excludesIncomplete: boolean;
  /** What the completion times say about their order, as read (none without the column). */
  dates: DateColumn | undefined;
  /** Column of the response token, or -1 when the export has none. */
  token: number;
  serviceArea: CodedColumn;
  items: CodedColumn[];
  subgroupVariables: CodedColumn[];
  multiSelect: OptionColumns[];
  openText: OpenTextColumn[];
  rowWidth: number;
  header: BatchHeader;
}

/**
 * Matches an export's column names against the questionnaire for one group, as the group's
 * source says. Names match exactly or after {@link normalizeLabel}. Throws
 * {@link FileRejectedError} listing every required column that is missing or appears twice,
 * with the nearest header for each and the tool the header looks like. Linear in the number
 * of columns.
 */
export function buildExportLayout(
  config: CycleConfig,
  group: string,
  names: string[],
  /** The upload's key: named in errors and recorded in the batch header. */
  file: string,
  /** The header rows as read, to recognise the tool that wrote them. */
  headerRows: string[][] = [names],
): ExportLayout {
  const source = groupSource(config, group);
  const headers = new HeaderColumns(names);
  const responseId = source.columns.responseId === ROW_NUMBER_ID ? -1 : headers.find(source.columns.responseId);
  // Optional: the recipient's response token, used only to mark them as responded.
  const token = headers.first(config.tokenColumn);
  const submittedAt = source.submittedAtRequired ? headers.find(source.columns.submittedAt) : headers.findOptional(source.columns.submittedAt);
  const row = new RowBytes();
  const serviceArea = serviceAreaColumn(config, source, headers, row);
  const scales = new Map<string, Scale>(config.questionnaire.scales.map((scale) => [scale.id, scale]));
  const items = itemColumns(config, group, source, scales, headers, row);
  const subgroupVariables = subgroupColumns(config, group, source, headers, row);
  const multiSelect = multiSelectColumns(config, group, source, headers, row);
  const openText = openTextColumns(config, group, headers);

  const { missing, repeated } = headers;
  if (missing.length > 0 || repeated.length > 0) {
    throw new FileRejectedError(file, describeHeaderMismatch({ group, source, names, headerRows, missing, repeated }));
  }

  const rowWidth = row.width;
  return {
    cycleId: config.id,
    group,
    columnCount: names.length,
    responseId,
    responseIdHeader: source.columns.responseId,
    submittedAt,
    submittedAtHeader: source.columns.submittedAt,
    dateOrder: source.dateOrder,
    excludesIncomplete: source.incomplete === "exclude",
    dates: submittedAt < 0 ? undefined : new DateColumn(source.columns.submittedAt, source.dateOrder, source.dateOrderDeclared),
    token,
    serviceArea,
    items,
    subgroupVariables,
    multiSelect,
    openText,
    rowWidth,
    header: batchHeader(config, group, file, rowWidth, scales, { items, subgroupVariables, multiSelect }),
  };
}

/**
 * The export's header names by normalized name, and the required columns not found or found
 * more than once so far (the header is rejected with all of them at once, in the order asked).
 */
class HeaderColumns {
  readonly missing: string[] = [];
  readonly repeated: string[] = [];
  private readonly positions = new Map<string, number[]>();

  constructor(names: readonly string[]) {
    names.forEach((name, index) => {
      const key = normalizeLabel(name);
      const found = this.positions.get(key);
      if (found) found.push(index);
      else this.positions.set(key, [index]);
    });
  }

  /** A required column: its first position, or -1 after noting it missing. */
  find(header: string): number {
    const found = this.positions.get(normalizeLabel(header));
    if (!found) {
      this.missing.push(header);
      return -1;
    }
    if (found.length > 1) this.repeated.push(header);
    return found[0]!;
  }

  /** A column the export may leave out: -1 when it does, and held to appearing once when it does not. */
  findOptional(header: string): number {
    return this.positions.has(normalizeLabel(header)) ? this.find(header) : -1;
  }

  /** A column read only when there, never checked: its first position, or -1. */
  first(header: string): number {
    return this.positions.get(normalizeLabel(header))?.[0] ?? -1;
  }
}

/** Hands out the bytes of a normalized row in the order its columns are laid out. */
class RowBytes {
  width = 0;

  /** The offset of the next `bytes` bytes of the row. */
  take(bytes = 1): number {
    const offset = this.width;
    this.width += bytes;
    return offset;
  }
}

/**
 * The service area, coded 1 for child and family only, 2 for both: required in every row where
 * the export has the column. The export must have it when the cycle file names it; otherwise it
 * is read where the tool's usual column is there, and without it (column -1) responses are not
 * split by service area (coded 0).
 */
function serviceAreaColumn(config: CycleConfig, source: ResolvedSource, headers: HeaderColumns, row: RowBytes): CodedColumn {
  const { childAndFamilyOnly, both } = config.serviceArea;
  const header = source.columns.serviceArea;
  return codedColumn(
    "service_area",
    header,
    source.serviceAreaDeclared ? headers.find(header) : headers.findOptional(header),
    row.take(),
    [...childAndFamilyOnly.map((label) => [label, 1] as const), ...both.map((label) => [label, 2] as const)],
    source.missing,
    `one of ${quoteList([...childAndFamilyOnly, ...both])}`,
  );
}

/** The group's single-choice items, each coded by its scale's position (1-based) and read by label or code. */
function itemColumns(
  config: CycleConfig,
  group: string,
  source: ResolvedSource,
  scales: ReadonlyMap<string, Scale>,
  headers: HeaderColumns,
  row: RowBytes,
): CodedColumn[] {
  const items: CodedColumn[] = [];
  for (const item of config.questionnaire.items) {
    const header = item.columns[group];
    if (header === undefined) continue;
    const scale = scales.get(item.scale)!;
    const labelCode = new Map(scale.categories.map((label, index) => [label, index + 1]));
    const codes = Object.keys(scale.codes);
    items.push(
      codedColumn(
        item.id,
        header,
        headers.find(header),
        row.take(),
        [...scale.categories.map((label, index) => [label, index + 1] as const), ...Object.entries(scale.codes).map(([code, label]) => [code, labelCode.get(label)!] as const)],
        [...source.missing, ...scale.missing],
        `one of ${quoteList(scale.categories)}${codes.length > 0 ? ` (or their codes ${quoteList(codes)})` : ""}, or blank`,
      ),
    );
  }
  return items;
}

/** The group's subgroup variables, each value coded by its subgroup's position (1-based; 0 unclassified). */
function subgroupColumns(config: CycleConfig, group: string, source: ResolvedSource, headers: HeaderColumns, row: RowBytes): CodedColumn[] {
  const variables: CodedColumn[] = [];
  for (const variable of config.questionnaire.subgroupVariables) {
    const header = variable.columns[group];
    if (header === undefined) continue;
    const entries = [
      ...variable.subgroups.flatMap((subgroup, index) => subgroup.values.map((value) => [value, index + 1] as const)),
      ...variable.unclassified.map((value) => [value, 0] as const),
    ];
    variables.push(codedColumn(variable.id, header, headers.find(header), row.take(), entries, source.missing, `one of ${quoteList(entries.map(([value]) => value))}, or blank`));
  }
  return variables;
}

/** The multi-select questions the group is asked, each a bit per option in as many bytes as that takes. */
function multiSelectColumns(config: CycleConfig, group: string, source: ResolvedSource, headers: HeaderColumns, row: RowBytes): OptionColumns[] {
  const questions: OptionColumns[] = [];
  for (const question of config.questionnaire.multiSelect) {
    if (!groupsAskedMultiSelect(question).includes(group)) continue;
    const entry: OptionColumns = { id: question.id, offset: row.width, optionCount: question.options.length, options: optionColumns(question, group, source, headers) };
    const cell = question.delimited[group];
    if (cell !== undefined) entry.delimited = delimitedAnswer(question, cell, headers);
    questions.push(entry);
    row.take(Math.ceil(question.options.length / 8));
  }
  return questions;
}

/**
 * The options of a multi-select question that have a column of their own in the group's
 * export, each with the marks that mean chosen (its label, its id and the source's marks) and
 * not chosen (the source's marks and "not answered" values). A mark in both lists is refused
 * when the cycle file is read, so none is read two ways.
 */
function optionColumns(question: MultiSelectQuestion, group: string, source: ResolvedSource, headers: HeaderColumns): OptionColumn[] {
  return question.options.flatMap((option, index) => {
    const header = option.columns[group];
    if (header === undefined) return [];
    const chosen = [option.label, option.id, ...source.marks.chosen];
    const notChosen = [...source.marks.notChosen, ...source.missing];
    const expected = `${quoteList(chosen)} when chosen; blank or ${quoteList(notChosen)} when not`;
    return [{
      id: option.id,
      header,
      column: headers.find(header),
      index,
      chosen: new Set(chosen),
      chosenNormalized: new Set(chosen.map(normalizeLabel)),
      notChosen: new Set(notChosen),
      notChosenNormalized: new Set(notChosen.map(normalizeLabel)),
      expected,
    }];
  });
}

/** A multi-select question answered in one cell: its choices longest first, so the longest label wins. */
function delimitedAnswer(question: MultiSelectQuestion, cell: MultiSelectQuestion["delimited"][string], headers: HeaderColumns): DelimitedAnswer {
  return {
    header: cell.column,
    column: headers.find(cell.column),
    separator: normalizeLabel(cell.separator) || cell.separator,
    choices: question.options.map((option, index) => ({ label: normalizeLabel(option.label), index })).sort((a, b) => b.label.length - a.label.length),
    expected: `choices from ${quoteList(question.options.map((option) => option.label))} separated by "${cell.separator}", or blank`,
  };
}

/** The group's open-text questions, each with its codebook compiled (the answers are coded, never kept). */
function openTextColumns(config: CycleConfig, group: string, headers: HeaderColumns): OpenTextColumn[] {
  return config.questionnaire.openText.flatMap((question) => {
    const header = question.columns[group];
    return header === undefined ? [] : [{ id: question.id, header, column: headers.find(header), code: compileCodebook(question) }];
  });
}

/** The batch header: what each byte of a normalized row means, for whoever reads the batch. */
function batchHeader(
  config: CycleConfig,
  group: string,
  file: string,
  rowWidth: number,
  scales: ReadonlyMap<string, Scale>,
  columns: Pick<ExportLayout, "items" | "subgroupVariables" | "multiSelect">,
): BatchHeader {
  return {
    format: "asye-normalized-v1",
    cycleId: config.id,
    group,
    uploadKey: file,
    rowWidth,
    items: columns.items.map((item) => ({
      id: item.id,
      offset: item.offset,
      categories: scales.get(config.questionnaire.items.find((i) => i.id === item.id)!.scale)!.categories,
    })),
    subgroupVariables: columns.subgroupVariables.map((variable) => ({
      id: variable.id,
      offset: variable.offset,
      subgroups: config.questionnaire.subgroupVariables.find((v) => v.id === variable.id)!.subgroups.map((subgroup) => subgroup.id),
    })),
    multiSelect: columns.multiSelect.map((question) => ({
      id: question.id,
      offset: question.offset,
      options: config.questionnaire.multiSelect.find((q) => q.id === question.id)!.options.map((option) => option.id),
    })),
  };
}

/** The resolved source of one group of a cycle. */
export function groupSource(config: CycleConfig, group: string): ResolvedSource {
  return resolveSource(config.groups.find((g) => g.id === group)?.source);
}

function codedColumn(
  id: string,
  header: string,
  column: number,
  offset: number,
  entries: readonly (readonly [string, number])[],
  missing: readonly string[],
  expected: string,
): CodedColumn {
  const codes = new Map<string, number>();
  for (const value of missing) codes.set(normalizeLabel(value), 0);
  for (const [label, code] of entries) codes.set(normalizeLabel(label), code);
  return {
    id,
    header,
    column,
    offset,
    labels: entries.map(([label]) => label),
    labelCodes: entries.map(([, code]) => code),
    codes,
    missing,
    expected,
  };
}

/** The export columns a layout reads: id, completion time, token, service area, items, subgroup variables, options, one-cell multi-selects and open text. */
export function columnsRead(layout: ExportLayout): ReadonlySet<number> {
  const options = layout.multiSelect.flatMap((question) => [...question.options.map((option) => option.column), ...(question.delimited ? [question.delimited.column] : [])]);
  const coded = [layout.serviceArea, ...layout.items, ...layout.subgroupVariables].map((column) => column.column);
  const columns = [layout.responseId, layout.submittedAt, layout.token, ...coded, ...options, ...layout.openText.map((question) => question.column)];
  return new Set(columns.filter((column) => column >= 0));
}
