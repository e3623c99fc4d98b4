import { type CycleConfig, groupsAskedMultiSelect, type Scale } from "../config/cycleConfig.ts";
import { FileRejectedError } from "../../errors.ts";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import type { DateOrder } from "../../sources/sourceSchema.ts";
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
  /** The option's label as in the cycle file, and normalized: a cell holding it means selected. */
  rawLabel: string;
  label: string;
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
  const positions = new Map<string, number[]>();
  names.forEach((name, index) => {
    const key = normalizeLabel(name);
    const found = positions.get(key);
    if (found) found.push(index);
    else positions.set(key, [index]);
  });
  const missing: string[] = [];
  const repeated: string[] = [];
  const find = (header: string): number => {
    const found = positions.get(normalizeLabel(header));
    if (!found) {
      missing.push(header);
      return -1;
    }
    if (found.length > 1) repeated.push(header);
    return found[0]!;
  };
  const findOptional = (header: string): number => {
    const found = positions.get(normalizeLabel(header));
    return found === undefined ? -1 : find(header);
  };

  const responseId = source.columns.responseId === ROW_NUMBER_ID ? -1 : find(source.columns.responseId);
  // Optional: the recipient's response token, used only to mark them as responded.
  const token = positions.get(normalizeLabel(config.tokenColumn))?.[0] ?? -1;
  const submittedAt = source.submittedAtRequired ? find(source.columns.submittedAt) : findOptional(source.columns.submittedAt);
  let offset = 0;
  const serviceAreaLabels = [...config.serviceArea.childAndFamilyOnly, ...config.serviceArea.both];
  const serviceArea = codedColumn(
    "service_area",
    source.columns.serviceArea,
    find(source.columns.serviceArea),
    offset++,
    [
      ...config.serviceArea.childAndFamilyOnly.map((label) => [label, 1] as const),
      ...config.serviceArea.both.map((label) => [label, 2] as const),
    ],
    source.missing,
    `one of ${quoteList(serviceAreaLabels)}`,
  );

  const scales = new Map<string, Scale>(config.questionnaire.scales.map((scale) => [scale.id, scale]));
  const items: CodedColumn[] = [];
  for (const item of config.questionnaire.items) {
    const header = item.columns[group];
    if (header === undefined) continue;
    const scale = scales.get(item.scale)!;
    const labelCode = new Map(scale.categories.map((label, index) => [label, index + 1]));
    items.push(
      codedColumn(
        item.id,
        header,
        find(header),
        offset++,
        [...scale.categories.map((label, index) => [label, index + 1] as const), ...Object.entries(scale.codes).map(([code, label]) => [code, labelCode.get(label)!] as const)],
        [...source.missing, ...scale.missing],
        `one of ${quoteList(scale.categories)}${Object.keys(scale.codes).length > 0 ? ` (or their codes ${quoteList(Object.keys(scale.codes))})` : ""}, or blank`,
      ),
    );
  }

  const subgroupVariables: CodedColumn[] = [];
  for (const variable of config.questionnaire.subgroupVariables) {
    const header = variable.columns[group];
    if (header === undefined) continue;
    const entries = [
      ...variable.subgroups.flatMap((subgroup, index) => subgroup.values.map((value) => [value, index + 1] as const)),
      ...variable.unclassified.map((value) => [value, 0] as const),
    ];
    subgroupVariables.push(
      codedColumn(variable.id, header, find(header), offset++, entries, source.missing, `one of ${quoteList(entries.map(([value]) => value))}, or blank`),
    );
  }

  const multiSelect: OptionColumns[] = [];
  for (const question of config.questionnaire.multiSelect) {
    if (!groupsAskedMultiSelect(question).includes(group)) continue;
    const cell = question.delimited[group];
    const options = question.options.flatMap((option, index) => {
      const header = option.columns[group];
      if (header === undefined) return [];
      const expected = `"${option.label}", 1, Y, Yes, Selected or true when chosen; blank, 0, N, No, Not selected or false when not`;
      return [{ id: option.id, header, column: find(header), index, rawLabel: option.label, label: normalizeLabel(option.label), expected }];
    });
    const entry: OptionColumns = { id: question.id, offset, optionCount: question.options.length, options };
    if (cell !== undefined) {
      entry.delimited = {
        header: cell.column,
        column: find(cell.column),
        separator: normalizeLabel(cell.separator) || cell.separator,
        choices: question.options
          .map((option, index) => ({ label: normalizeLabel(option.label), index }))
          .sort((a, b) => b.label.length - a.label.length),
        expected: `choices from ${quoteList(question.options.map((option) => option.label))} separated by "${cell.separator}", or blank`,
      };
    }
    multiSelect.push(entry);
    offset += Math.ceil(question.options.length / 8);
  }

  const openText: OpenTextColumn[] = config.questionnaire.openText.flatMap((question) => {
    const header = question.columns[group];
    return header === undefined ? [] : [{ id: question.id, header, column: find(header), code: compileCodebook(question) }];
  });

  if (missing.length > 0 || repeated.length > 0) {
    throw new FileRejectedError(file, describeHeaderMismatch({ group, source, names, headerRows, missing, repeated }));
  }

  const rowWidth = offset;
  return {
    cycleId: config.id,
    group,
    columnCount: names.length,
    responseId,
    responseIdHeader: source.columns.responseId,
    submittedAt,
    submittedAtHeader: source.columns.submittedAt,
    dateOrder: source.dateOrder,
    token,
    serviceArea,
    items,
    subgroupVariables,
    multiSelect,
    openText,
    rowWidth,
    header: {
      format: "asye-normalized-v1",
      cycleId: config.id,
      group,
      uploadKey: file,
      rowWidth,
      items: items.map((item) => ({
        id: item.id,
        offset: item.offset,
        categories: scales.get(config.questionnaire.items.find((i) => i.id === item.id)!.scale)!.categories,
      })),
      subgroupVariables: subgroupVariables.map((variable) => ({
        id: variable.id,
        offset: variable.offset,
        subgroups: config.questionnaire.subgroupVariables.find((v) => v.id === variable.id)!.subgroups.map((subgroup) => subgroup.id),
      })),
      multiSelect: multiSelect.map((question) => ({
        id: question.id,
        offset: question.offset,
        options: config.questionnaire.multiSelect.find((q) => q.id === question.id)!.options.map((option) => option.id),
      })),
    },
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
