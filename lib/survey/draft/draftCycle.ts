import { basename } from "node:path";
import { ROW_NUMBER_ID } from "../../sources/resolveSource.ts";
import type { SourceTool } from "../../sources/sourceSchema.ts";
import { classifyColumns, type ColumnRole, isCode } from "./classifyColumns.ts";
import { openTodos, todo } from "./draftTodos.ts";
import { type ExportFields, findExportFields } from "./exportFields.ts";
import { type DraftMultiSelect, type ProposedMultiSelect, proposeMultiSelects } from "./proposeMultiSelects.ts";
import { type DraftScale, type ProposedScale, proposeScales } from "./proposeScales.ts";
import { type QuestionStem, questionStems } from "./questionStems.ts";
import { type ExportAnswers, type OpenExport, readExportAnswers } from "./readExportAnswers.ts";
import { slugOf, uniqueSlug } from "./slugOf.ts";

/** What a person may settle before drafting: the tool (else recognised from the header) and the group's id (else the file's name). */
export interface DraftOptions {
  tool?: SourceTool;
  group?: string;
}

/** An item as the draft writes it (`questionnaire.items[]`). */
export interface DraftItem {
  id: string;
  text: string;
  scale: string;
  columns: Record<string, string>;
}

/** A drafted cycle file: a survey cycle file whose open decisions are strings `TODO: …`. */
export interface DraftCycleFile {
  id: string;
  title: string;
  timezone: string;
  schedule: { opens: string; closes: string; reminderIntervalDays: number };
  groups: { id: string; label: string; delivered: number | string; source: { tool: SourceTool; columns: Record<string, string> } }[];
  serviceArea?: { childAndFamilyOnly: string[]; both: string[] };
  questionnaire: { scales: DraftScale[]; items: DraftItem[]; multiSelect: DraftMultiSelect[] };
}

/** A draft and what was found on the way, for people. */
export interface CycleDraft {
  cycle: DraftCycleFile;
  answers: ExportAnswers;
  fields: ExportFields;
  roles: ColumnRole[];
  /** Each column's question and own part, where its name shows them. */
  stems: (QuestionStem | undefined)[];
  scales: ProposedScale[];
  multiSelect: ProposedMultiSelect[];
  /** The group's id, and where it came from. */
  group: { id: string; from: "option" | "file name" };
  /** How many decisions the draft leaves to a person (strings `TODO: …`). */
  todos: number;
}

/**
 * Drafts a survey cycle file from one group's export: the tool (recognised from the header, or
 * as given), the response id, completion-time and service-area columns, a scale for every set
 * of answers (known scales recognised), an item per single-choice column and the multi-select
 * questions; what only a person can decide is a string `TODO: …`, which the cycle file's parser
 * refuses until it is answered. The export is streamed, never held.
 */
export async function draftCycle(open: OpenExport, file: string, options: DraftOptions = {}): Promise<CycleDraft> {
  const answers = await readExportAnswers(open, file, options.tool);
  const fields = findExportFields(answers);
  const stems = questionStems(answers.names, answers.headerRows, answers.source.placeholders);
  const roles = classifyColumns(answers, fields, stems);
  const group = options.group !== undefined ? { id: options.group, from: "option" as const } : { id: groupIdOf(file), from: "file name" as const };
  const scales = proposeScales(roles.flatMap((role, column) => (role.kind === "single choice" ? [{ column, answers: role.answers, stem: stems[column]?.stem }] : [])));
  const multiSelect = proposeMultiSelects(answers.names, roles, group.id);
  const cycle: DraftCycleFile = {
    id: todo("the cycle's id", "lower-case letters, digits and dashes, e.g. asye-cf-2026"),
    title: todo("the cycle's title, shown in the results"),
    timezone: "Europe/London",
    schedule: draftSchedule(answers, fields),
    groups: [draftGroup(answers, fields, group.id)],
    ...draftServiceArea(answers, fields),
    questionnaire: { scales: scales.map((proposed) => proposed.scale), items: draftItems(answers, stems, scales, group.id), multiSelect: multiSelect.map((proposed) => proposed.question) },
  };
  return { cycle, answers, fields, roles, stems, scales, multiSelect, group, todos: openTodos(cycle).length };
}

/** The group's id from the export's name (`leads.csv` → `leads`), or `group`. */
function groupIdOf(file: string): string {
  const name = basename(file).replace(/(\.[a-z0-9]+)+$/iu, "");
  return slugOf(name) || "group";
}

function draftSchedule(answers: ExportAnswers, fields: ExportFields): DraftCycleFile["schedule"] {
  const times = fields.submittedAt === undefined ? undefined : answers.columns[fields.submittedAt];
  const first = times?.first === undefined ? undefined : `the first response's completion time reads ${JSON.stringify(times.first)}`;
  const last = times?.last === undefined ? undefined : `the last one's reads ${JSON.stringify(times.last)}`;
  return {
    opens: todo("the day the survey opened, as YYYY-MM-DD", first),
    closes: todo("the day it closed, as YYYY-MM-DD: it counts as closed from the start of that day", last),
    reminderIntervalDays: 14,
  };
}

/** The group: its id, TODO label and delivered count, and its source (only what differs from the tool's preset). */
function draftGroup(answers: ExportAnswers, fields: ExportFields, group: string): DraftCycleFile["groups"][number] {
  const own = answers.preset.columns;
  const columns: Record<string, string> = {};
  const responseId = fields.responseId === ROW_NUMBER_ID ? ROW_NUMBER_ID : answers.names[fields.responseId]!;
  if (responseId !== own.responseId) columns.responseId = responseId;
  if (fields.submittedAt === undefined && answers.preset.submittedAtRequired) columns.submittedAt = todo("which column holds the completion time?", "every response needs one in this layout");
  if (fields.submittedAt !== undefined && answers.names[fields.submittedAt] !== own.submittedAt) columns.submittedAt = answers.names[fields.submittedAt]!;
  if (fields.serviceArea !== undefined && answers.names[fields.serviceArea.column] !== own.serviceArea) columns.serviceArea = answers.names[fields.serviceArea.column]!;
  return {
    id: group,
    label: todo("the group's name in the report", 'e.g. "ASYE leads"'),
    delivered: todo("how many survey links were delivered to this group: a whole number, the response rate's denominator", `this export has ${answers.responses} response${answers.responses === 1 ? "" : "s"}`),
    source: { tool: answers.preset.tool, columns },
  };
}

/** The service area's answers, when its column was found by its name and its answers are not the default ones. */
function draftServiceArea(answers: ExportAnswers, fields: ExportFields): Pick<DraftCycleFile, "serviceArea"> {
  if (fields.serviceArea === undefined || fields.serviceArea.answersKnown) return {};
  const column = answers.names[fields.serviceArea.column]!;
  const seen = `answers seen: ${answers.columns[fields.serviceArea.column]!.distinct.join(", ")}`;
  return {
    serviceArea: {
      childAndFamilyOnly: [todo(`which answers of ${JSON.stringify(column)} mean "child and family only"?`, seen)],
      both: [todo(`which answers of ${JSON.stringify(column)} mean "both child and family and adult services"?`, seen)],
    },
  };
}

/** An item per single-choice column, in the export's order, its id and wording TODO. */
function draftItems(answers: ExportAnswers, stems: readonly (QuestionStem | undefined)[], scales: readonly ProposedScale[], group: string): DraftItem[] {
  const scaleOf = new Map<number, string>();
  for (const proposed of scales) for (const column of proposed.columns) scaleOf.set(column, proposed.scale.id);
  const ids = new Set<string>();
  return [...scaleOf.keys()]
    .sort((a, b) => a - b)
    .map((column) => {
      const name = answers.names[column]!;
      const part = stems[column]?.part;
      const suggested = uniqueSlug(part !== undefined && !isCode(part) ? part : name, ids, "item");
      return {
        id: todo("an id for this item", `lower-case letters, digits and dashes, e.g. ${suggested}`),
        text: todo("the item's wording in the report", `the export's header: ${JSON.stringify(name)}`),
        scale: scaleOf.get(column)!,
        columns: { [group]: name },
      };
    });
}
