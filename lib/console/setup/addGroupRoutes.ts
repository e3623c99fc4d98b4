import { Readable } from "node:stream";
import { z } from "zod";
import { FileRejectedError } from "../../errors.ts";
import { draftCycle } from "../../survey/draft/draftCycle.ts";
import { draftOptionsSchema } from "../../survey/draft/draftOptions.ts";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "../consoleHttp.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";
import type { Route } from "../consoleRoutes.ts";
import { errorPage } from "../errorPage.ts";
import { EXPORT_MAX_BYTES, readMultipart } from "../multipartForm.ts";
import type { Session } from "../session.ts";
import { ADD_GROUP_FIELDS, addGroupPage, columnField, columnsPage } from "./addGroupPage.ts";
import { type DraftRecord, loadDraft, saveDraft } from "./draftStore.ts";
import { addedColumns, type ColumnChoice, type DraftShape, mergeGroup, mergeSummary, readDraftShape, choiceProblems } from "./mergeGroup.ts";
import { fileOf, shownName } from "./setupRoutes.ts";
import { todoFields } from "./todoFields.ts";

const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };
const TEAM = ["survey-team"] as const;

/** Adding another group to a draft in progress from its export (the survey team only; POSTs carry the CSRF token, checked at the door). */
export const ADD_GROUP_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/setup\/drafts\/([^/]+)\/groups\/new$/, roles: TEAM, handle: showAddGroup },
  { method: "POST", pattern: /^\/setup\/drafts\/([^/]+)\/groups$/, roles: TEAM, handle: draftGroup },
  { method: "GET", pattern: /^\/setup\/drafts\/([^/]+)\/groups\/columns$/, roles: TEAM, handle: showColumns },
  { method: "POST", pattern: /^\/setup\/drafts\/([^/]+)\/groups\/columns$/, roles: TEAM, handle: chooseColumns },
];

function draftGone(session: Session): ConsoleResponse {
  return errorPage(404, "There is no such draft: drafts are kept for a day. Draft again from the export.", session);
}

async function showAddGroup([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  if ((await loadDraft(deps.store, id!, deps.now())) === undefined) return draftGone(session);
  return respond(200, HTML_TYPE, addGroupPage(id!, session));
}

const groupFieldsSchema = z.object({ group: z.string().max(200) }).partial().loose();

/** Drafts the group's export as `asye init --group` does, and keeps it with the draft while its columns are matched (POST /setup/drafts/{id}/groups). */
async function draftGroup([id]: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const draft = await loadDraft(deps.store, id!, deps.now());
  const base = draft === undefined ? undefined : readDraftShape(draft.cycle);
  if (draft === undefined || base === undefined) return draftGone(session);
  const form = await readMultipart(request);
  const group = groupFieldsSchema.parse(form?.fields ?? {}).group?.trim() ?? "";
  const options = draftOptionsSchema.safeParse({ group });
  const file = fileOf(form, "export", EXPORT_MAX_BYTES);
  const errors = [
    ...(typeof file === "string" ? [{ field: ADD_GROUP_FIELDS.exportFile, message: file }] : []),
    ...(group === "" ? [{ field: ADD_GROUP_FIELDS.group, message: "Enter the group's id" }] : []),
    ...(group !== "" && !options.success ? options.error.issues.map((issue) => ({ field: ADD_GROUP_FIELDS.group, message: `--group: ${issue.message}` })) : []),
    ...(base.groups.some((other) => other.id === group) ? [{ field: ADD_GROUP_FIELDS.group, message: `The draft has a group “${group}” already: choose another id` }] : []),
  ];
  if (typeof file === "string" || errors.length > 0 || !options.success) return respond(400, HTML_TYPE, addGroupPage(id!, session, errors, group));
  const name = shownName(file, "export.csv");
  try {
    const added = await draftCycle(() => Readable.from([file.bytes]), name, options.data);
    await saveDraft(deps.store, id!, { ...draft, adding: { group, exportName: name, cycle: added.cycle as unknown as Record<string, unknown> } });
    return redirect(`/setup/drafts/${id!}/groups/columns`);
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    return respond(400, HTML_TYPE, addGroupPage(id!, session, [{ field: ADD_GROUP_FIELDS.exportFile, message: `${error.file}: refused: ${error.reason}` }], group));
  }
}

/** The draft, its shape, and the group being added, when there is one. */
interface Adding {
  draft: DraftRecord;
  base: DraftShape;
  added: DraftShape;
  group: string;
  exportName: string;
}

async function loadAdding(id: string, deps: ConsoleDeps): Promise<Adding | undefined> {
  const draft = await loadDraft(deps.store, id, deps.now());
  const base = draft === undefined ? undefined : readDraftShape(draft.cycle);
  const added = draft?.adding === undefined ? undefined : readDraftShape(draft.adding.cycle);
  if (draft?.adding === undefined || base === undefined || added === undefined) return undefined;
  return { draft, base, added, group: draft.adding.group, exportName: draft.adding.exportName };
}

async function showColumns([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const adding = await loadAdding(id!, deps);
  if (adding === undefined) return redirect(`/setup/drafts/${id!}`);
  const columns = addedColumns(adding.base, adding.added, adding.group);
  return respond(200, HTML_TYPE, columnsPage({ draftId: id!, ...adding, columns, choices: new Map(), problems: new Map() }, session));
}

const choiceSchema = z.union([z.literal("new"), z.literal("leave-out"), z.string().regex(/^item-\d{1,4}$/u)]);

/** The columns' choices as the form sends them; undefined when they do not fit. */
function readChoices(body: string, count: number): Map<number, ColumnChoice> | undefined {
  const params = new URLSearchParams(body);
  const choices = new Map<number, ColumnChoice>();
  for (let index = 0; index < count; index++) {
    const given = params.get(columnField(index));
    if (given === null) continue;
    const parsed = choiceSchema.safeParse(given);
    if (!parsed.success) return undefined;
    choices.set(index, parsed.data.startsWith("item-") ? { onto: Number(parsed.data.slice(5)) } : (parsed.data as "new" | "leave-out"));
  }
  return choices;
}

/**
 * The columns' choices (POST /setup/drafts/{id}/groups/columns): when they fit, the group is
 * merged into the draft, the answers so far moved to their fields' new names, and the draft's
 * form shown again; else the choices again, each problem beside its column.
 */
async function chooseColumns([id]: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const adding = await loadAdding(id!, deps);
  if (adding === undefined) return redirect(`/setup/drafts/${id!}`);
  const columns = addedColumns(adding.base, adding.added, adding.group);
  const choices = readChoices(request.body, columns.length);
  if (choices === undefined) return errorPage(400, "The choices could not be read. Go back, reload the page and try again.", session);
  for (const column of columns) if (!choices.has(column.index)) choices.set(column.index, column.proposed);
  const problems = choiceProblems(columns, choices, adding.base);
  if (problems.size > 0) return respond(400, HTML_TYPE, columnsPage({ draftId: id!, ...adding, columns, choices, problems }, session));
  const cycle = mergeGroup(adding.base, adding.added, adding.group, choices);
  const { adding: _done, ...rest } = adding.draft;
  const found = [...rest.found, ...mergeSummary(adding.group, adding.exportName, columns, choices)];
  await saveDraft(deps.store, id!, { ...rest, found, cycle, answers: movedAnswers(adding.draft.cycle, cycle, rest.answers) });
  return redirect(`/setup/drafts/${id!}`);
}

/** The answers given so far under their fields' names in the merged draft (a field's name is its place among the TODOs, which the new group's shift). */
export function movedAnswers(before: unknown, after: unknown, answers: DraftRecord["answers"]): DraftRecord["answers"] {
  const pathOf = new Map(todoFields(before).map((field) => [field.name, field.path]));
  const nameOf = new Map(todoFields(after).map((field) => [field.path, field.name]));
  const moved: DraftRecord["answers"] = {};
  for (const [name, given] of Object.entries(answers)) {
    if (!name.startsWith("t")) moved[name] = given;
    else {
      const renamed = nameOf.get(pathOf.get(name) ?? "");
      if (renamed !== undefined) moved[renamed] = given;
    }
  }
  return moved;
}
