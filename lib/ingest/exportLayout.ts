import type { CycleConfig, Scale } from "../config/cycleConfig.ts";
import { FileRejectedError } from "../errors.ts";
import type { BatchHeader } from "./batchFormat.ts";

/** The columns every export has, whatever the group. */
export const FIXED_COLUMNS = {
  responseId: "response_id",
  submittedAt: "submitted_at",
  serviceArea: "service_area",
} as const;

/** A column whose cell is looked up in a list of allowed labels. */
export interface CodedColumn {
  id: string;
  header: string;
  column: number;
  /** Row offset of the encoded byte. */
  offset: number;
  /** Labels as written in the cycle file and their codes, tried first with `===` (cheaper than hashing). */
  labels: string[];
  labelCodes: number[];
  /** Trimmed lower-case label → code, the fallback; blank is always 0. */
  codes: Map<string, number>;
  /** What a valid cell is, for error messages. */
  expected: string;
}

/** A multi-select question's option columns. */
export interface OptionColumns {
  id: string;
  offset: number;
  options: { id: string; header: string; column: number }[];
}

/** Where each field of one group's export is, and where it goes in a normalized row. */
export interface ExportLayout {
  cycleId: string;
  group: string;
  columnCount: number;
  responseId: number;
  submittedAt: number;
  /** Column of the response token, or -1 when the export has none. */
  token: number;
  serviceArea: CodedColumn;
  items: CodedColumn[];
  subgroupVariables: CodedColumn[];
  multiSelect: OptionColumns[];
  rowWidth: number;
  header: BatchHeader;
}

/**
 * Matches an export's header row against the questionnaire for one group.
 * Headers match after trimming, ignoring case. Throws {@link FileRejectedError} listing every
 * required column that is missing (or appears twice).
 */
export function buildExportLayout(
  config: CycleConfig,
  group: string,
  headerRow: string[],
  /** The upload's key: named in errors and recorded in the batch header. */
  file: string,
): ExportLayout {
  const positions = new Map<string, number[]>();
  headerRow.forEach((name, index) => {
    const key = normalize(name);
    positions.set(key, [...(positions.get(key) ?? []), index]);
  });
  const missing: string[] = [];
  const repeated: string[] = [];
  const find = (header: string): number => {
    const found = positions.get(normalize(header));
    if (!found) {
      missing.push(header);
      return -1;
    }
    if (found.length > 1) repeated.push(header);
    return found[0]!;
  };

  const responseId = find(FIXED_COLUMNS.responseId);
  // Optional: the recipient's response token, used only to mark them as responded.
  const token = positions.get(normalize(config.tokenColumn))?.[0] ?? -1;
  const submittedAt = find(FIXED_COLUMNS.submittedAt);
  let offset = 0;
  const serviceAreaLabels = [...config.serviceArea.childAndFamilyOnly, ...config.serviceArea.both];
  const serviceArea = codedColumn(
    "service_area",
    FIXED_COLUMNS.serviceArea,
    find(FIXED_COLUMNS.serviceArea),
    offset++,
    [
      ...config.serviceArea.childAndFamilyOnly.map((label) => [label, 1] as const),
      ...config.serviceArea.both.map((label) => [label, 2] as const),
    ],
    `one of ${quoteList(serviceAreaLabels)}`,
  );

  const scales = new Map<string, Scale>(
    config.questionnaire.scales.map((scale) => [scale.id, scale]),
  );
  const items: CodedColumn[] = [];
  for (const item of config.questionnaire.items) {
    const header = item.columns[group];
    if (header === undefined) continue;
    const scale = scales.get(item.scale)!;
    items.push(
      codedColumn(
        item.id,
        header,
        find(header),
        offset++,
        scale.categories.map((label, index) => [label, index + 1] as const),
        `one of ${quoteList(scale.categories)}, or blank`,
      ),
    );
  }

  const subgroupVariables: CodedColumn[] = [];
  for (const variable of config.questionnaire.subgroupVariables) {
    const header = variable.columns[group];
    if (header === undefined) continue;
    const entries = [
      ...variable.subgroups.flatMap((subgroup, index) =>
        subgroup.values.map((value) => [value, index + 1] as const),
      ),
      ...variable.unclassified.map((value) => [value, 0] as const),
    ];
    subgroupVariables.push(
      codedColumn(
        variable.id,
        header,
        find(header),
        offset++,
        entries,
        `one of ${quoteList(entries.map(([value]) => value))}, or blank`,
      ),
    );
  }

  const multiSelect: OptionColumns[] = [];
  for (const question of config.questionnaire.multiSelect) {
    const options = question.options.flatMap((option) => {
      const header = option.columns[group];
      return header === undefined ? [] : [{ id: option.id, header, column: find(header) }];
    });
    if (options.length === 0) continue;
    multiSelect.push({ id: question.id, offset, options });
    offset += Math.ceil(options.length / 8);
  }

  if (missing.length > 0 || repeated.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing required column(s) ${quoteList(missing)}`);
    if (repeated.length > 0)
      parts.push(`column(s) appearing more than once ${quoteList(repeated)}`);
    throw new FileRejectedError(
      file,
      `${parts.join("; ")} for group "${group}" (the header row has ${headerRow.length} column(s))`,
    );
  }

  const rowWidth = offset;
  return {
    cycleId: config.id,
    group,
    columnCount: headerRow.length,
    responseId,
    submittedAt,
    token,
    serviceArea,
    items,
    subgroupVariables,
    multiSelect,
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
        categories: scales.get(config.questionnaire.items.find((i) => i.id === item.id)!.scale)!
          .categories,
      })),
      subgroupVariables: subgroupVariables.map((variable) => ({
        id: variable.id,
        offset: variable.offset,
        subgroups: config.questionnaire.subgroupVariables
          .find((v) => v.id === variable.id)!
          .subgroups.map((subgroup) => subgroup.id),
      })),
      multiSelect: multiSelect.map((question) => ({
        id: question.id,
        offset: question.offset,
        options: question.options.map((option) => option.id),
      })),
    },
  };
}

/** Trimmed lower-case form used to match headers and, as a fallback, labels. */
export function normalize(text: string): string {
  return text.trim().toLowerCase();
}

function codedColumn(
  id: string,
  header: string,
  column: number,
  offset: number,
  entries: readonly (readonly [string, number])[],
  expected: string,
): CodedColumn {
  const codes = new Map<string, number>();
  for (const [label, code] of entries) codes.set(normalize(label), code);
  return {
    id,
    header,
    column,
    offset,
    labels: entries.map(([label]) => label),
    labelCodes: entries.map(([, code]) => code),
    codes,
    expected,
  };
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}
