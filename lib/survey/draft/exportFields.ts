import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { ROW_NUMBER_ID } from "../../sources/resolveSource.ts";
import type { ExportAnswers } from "./readExportAnswers.ts";

/** The service-area answers a cycle file reads by default (`serviceArea` in cycleConfig.ts). */
export const DEFAULT_SERVICE_AREA = {
  childAndFamilyOnly: ["Child and family only"],
  both: ["Both child and family and adult services"],
} as const;

/** The columns every response has, as found in one export. */
export interface ExportFields {
  /** The response id's column, or {@link ROW_NUMBER_ID} when responses are numbered by row. */
  responseId: number | typeof ROW_NUMBER_ID;
  /** The completion time's column, if the export has one. */
  submittedAt: number | undefined;
  /** The service-area question's column, and whether its answers are the default ones (else a person says which mean what). */
  serviceArea: { column: number; answersKnown: boolean } | undefined;
}

/** Column names that hold a response id, when the tool's own is not there. */
const ID_NAME = /^(response|respondent|record|submission|user)?[ _]?(id|no|number)$/iu;
/** Column names that hold the completion time, when the tool's own is not there. */
const TIME_NAME = /^(submitted[ _]?at|submit ?date|date submitted|submission (date|time)|completed?( at| date| time)?|completion (date|time)|end ?date|ended|recorded ?date|timestamp)$/iu;
/** Column names that may hold the service-area question, when its answers are not the default ones. */
const SERVICE_AREA_NAME = /service[ _-]?area|which services/iu;
/** The most answers a service-area question may have to be proposed by its name. */
const SERVICE_AREA_ANSWERS = 6;

/**
 * Finds the response id, completion time and service-area columns: the tool's own (its
 * preset's), else one named like them; the service area also by its answers (the default
 * "Child and family only" / "Both child and family and adult services").
 */
export function findExportFields(answers: ExportAnswers): ExportFields {
  const { preset, names } = answers;
  const own = preset.columns;
  const responseId = own.responseId === ROW_NUMBER_ID ? ROW_NUMBER_ID : (columnNamed(names, own.responseId) ?? names.findIndex((name) => ID_NAME.test(name.trim())));
  const submittedAt = columnNamed(names, own.submittedAt) ?? names.findIndex((name) => TIME_NAME.test(name.trim()));
  return {
    responseId: responseId === -1 ? ROW_NUMBER_ID : responseId,
    submittedAt: submittedAt === -1 ? undefined : submittedAt,
    serviceArea: serviceAreaColumn(answers),
  };
}

/** The column of that name (exactly, else as labels compare), if the export has it. */
export function columnNamed(names: readonly string[], wanted: string): number | undefined {
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const key = normalizeLabel(wanted);
  const found = names.findIndex((name) => normalizeLabel(name) === key);
  return found >= 0 ? found : undefined;
}

function serviceAreaColumn(answers: ExportAnswers): ExportFields["serviceArea"] {
  const { names, columns, preset } = answers;
  const named = columnNamed(names, preset.columns.serviceArea);
  if (named !== undefined) return { column: named, answersKnown: true };
  const defaults = new Set([...DEFAULT_SERVICE_AREA.childAndFamilyOnly, ...DEFAULT_SERVICE_AREA.both].map(normalizeLabel));
  const byAnswers = columns.findIndex((column) => column.answered > 0 && !column.overflowed && column.distinct.every((answer) => defaults.has(normalizeLabel(answer))));
  if (byAnswers >= 0) return { column: byAnswers, answersKnown: true };
  const byName = names.findIndex((name, c) => SERVICE_AREA_NAME.test(name) && !columns[c]!.overflowed && columns[c]!.distinct.length <= SERVICE_AREA_ANSWERS);
  return byName >= 0 ? { column: byName, answersKnown: false } : undefined;
}
