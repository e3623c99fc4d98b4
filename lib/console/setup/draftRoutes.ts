import { z } from "zod";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "../consoleHttp.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";
import { errorPage } from "../errorPage.ts";
import type { Session } from "../session.ts";
import { checkDraft } from "./checkDraft.ts";
import { draftPage } from "./draftPage.ts";
import { type DraftRecord, loadDraft, saveDraft } from "./draftStore.ts";
import { omitFields } from "./leaveOut.ts";
import { problemOf } from "./problems.ts";
import { setUpCycle } from "./setUpCycle.ts";
import { todoFields } from "./todoFields.ts";

const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };

/** The draft form's body: each field's answers (checkboxes repeat their name), with the CSRF token. */
const answersSchema = z.record(z.string().max(16), z.array(z.string().max(4000)).max(200));

function draftGone(session: Session): ConsoleResponse {
  return errorPage(404, "There is no such draft: drafts are kept for a day. Draft again from the export.", session);
}

/** The name a draft is validated under (as `asye validate <file>` names its file). */
function draftSource(draft: DraftRecord): string {
  return `the draft from ${draft.exportName}`;
}

/** A draft's form, with the answers given so far (GET /setup/drafts/{id}). */
export async function showDraft([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const draft = await loadDraft(deps.store, id!, deps.now());
  if (draft === undefined) return draftGone(session);
  const page = draftPage({ id: id!, draft, fields: todoFields(draft.cycle), answers: draft.answers, byField: new Map(), unplaced: [] }, session);
  return respond(200, HTML_TYPE, page);
}

/**
 * The draft's answers (POST /setup/drafts/{id}): kept with the draft, filled in and validated as
 * the store validates; valid, the cycle is stored and its page shown; else the form again, each
 * problem beside its field in the CLI's words.
 */
export async function answerDraft([id]: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const draft = await loadDraft(deps.store, id!, deps.now());
  if (draft === undefined) return draftGone(session);
  const fields = todoFields(draft.cycle);
  const answers = readAnswers(request, new Set([...fields, ...omitFields(fields)].map((field) => field.name)));
  if (answers === undefined) return errorPage(400, "The answers could not be read. Go back, reload the page and try again.", session);
  await saveDraft(deps.store, id!, { ...draft, answers });
  const checked = checkDraft(draft.cycle, fields, answers, draftSource(draft));
  if (checked.cycle !== undefined) {
    const taken = await setUpCycle(checked.cycle, "draft", deps);
    if (taken === undefined) return redirect(`/cycles/${checked.cycle.config.id}`);
    const idField = fields.find((field) => field.path === "id");
    if (idField !== undefined) checked.byField.set(idField.name, [problemOf(taken).text]);
    else checked.unplaced.push(taken);
  }
  const page = draftPage({ id: id!, draft, fields, answers, byField: checked.byField, unplaced: checked.unplaced }, session);
  return respond(400, HTML_TYPE, page);
}

/** The form's answers to the draft's own fields (others ignored); undefined when they do not fit. */
function readAnswers(request: ConsoleRequest, names: ReadonlySet<string>): DraftRecord["answers"] | undefined {
  const params = new URLSearchParams(request.body);
  const given: Record<string, string[]> = {};
  for (const name of new Set(params.keys())) if (names.has(name)) given[name] = params.getAll(name);
  const parsed = answersSchema.safeParse(given);
  return parsed.success ? parsed.data : undefined;
}

/** The draft as it stands, answers filled in, as a JSON file to finish by hand (GET /setup/drafts/{id}/draft.json). */
export async function downloadDraft([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const draft = await loadDraft(deps.store, id!, deps.now());
  if (draft === undefined) return draftGone(session);
  const { filled } = checkDraft(draft.cycle, todoFields(draft.cycle), draft.answers, draftSource(draft));
  const name = `${draft.exportName.replace(/\.[^.]*$/u, "").replace(/[^A-Za-z0-9_-]/gu, "_") || "cycle"}.draft.json`;
  return respond(200, { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}"` }, `${JSON.stringify(filled, null, 2)}\n`);
}
