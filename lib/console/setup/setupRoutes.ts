import { Readable } from "node:stream";
import { z } from "zod";
import { type AnyCycle, parseAnyCycle } from "../../config/parseAnyCycle.ts";
import { FileRejectedError } from "../../errors.ts";
import { describeDraft } from "../../survey/draft/describeDraft.ts";
import { draftCycle } from "../../survey/draft/draftCycle.ts";
import { draftOptionsSchema } from "../../survey/draft/draftOptions.ts";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "../consoleHttp.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";
import type { Route } from "../consoleRoutes.ts";
import type { Session } from "../session.ts";
import { answerDraft, downloadDraft, showDraft } from "./draftRoutes.ts";
import { createDraft } from "./draftStore.ts";
import { sizeText } from "./formParts.ts";
import { CYCLE_FILE_MAX_BYTES, EXPORT_MAX_BYTES, type MultipartForm, readMultipart, type UploadedFile } from "../multipartForm.ts";
import { cycleProblems, refusalHeading } from "./problems.ts";
import { setUpCycle } from "./setUpCycle.ts";
import { SETUP_FIELDS, type SetupPageState, setupPage } from "./setupPage.ts";

const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };
const TEAM = ["survey-team"] as const;

/** Setting a cycle up (the survey team only; every POST carries the CSRF token, checked at the door). */
export const SETUP_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/setup$/, roles: TEAM, handle: async (_p, _r, session) => respond(200, HTML_TYPE, setupPage(session)) },
  { method: "POST", pattern: /^\/setup\/cycle-file$/, roles: TEAM, handle: uploadCycleFile },
  { method: "POST", pattern: /^\/setup\/draft$/, roles: TEAM, handle: draftFromExport },
  { method: "GET", pattern: /^\/setup\/drafts\/([^/]+)$/, roles: TEAM, handle: showDraft },
  { method: "POST", pattern: /^\/setup\/drafts\/([^/]+)$/, roles: TEAM, handle: answerDraft },
  { method: "GET", pattern: /^\/setup\/drafts\/([^/]+)\/draft\.json$/, roles: TEAM, handle: downloadDraft },
];

function refused(session: Session, state: SetupPageState): ConsoleResponse {
  return respond(400, HTML_TYPE, setupPage(session, state));
}

/** The file of a multipart form, or the message to show beside its field. */
export function fileOf(form: MultipartForm | undefined, what: string, limit: number): UploadedFile | string {
  if (form === undefined) return `The form could not be read: choose the ${what} again`;
  if (form.file === undefined || form.file.bytes.length === 0) return `Select ${what === "export" ? "an export" : `a ${what}`}`;
  if (form.file.tooLarge || form.file.bytes.length > limit) return `The ${what} must be ${sizeText(limit)} or smaller`;
  return form.file;
}

/** The name a file is called by in messages: its own name, without any folder, or the given default. */
export function shownName(file: UploadedFile, otherwise: string): string {
  const name = file.name.split(/[\\/]/u).pop()!.replace(/[^\p{L}\p{N} ._()-]/gu, "_").slice(0, 100);
  return name === "" ? otherwise : name;
}

/** Upload a cycle file: validated as `asye validate` validates it, its problems beside the field in the CLI's words; stored as the CLI stores it. */
async function uploadCycleFile(_params: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const file = fileOf(await readMultipart(request), "cycle file", CYCLE_FILE_MAX_BYTES);
  if (typeof file === "string") return refused(session, { errors: [{ field: SETUP_FIELDS.cycleFile, message: file }] });
  const source = shownName(file, "cycle.json");
  let cycle: AnyCycle;
  try {
    cycle = parseAnyCycle(file.bytes.toString("utf8"), source);
  } catch (error) {
    const problems = cycleProblems(error);
    if (problems === undefined) throw error;
    const heading = refusalHeading(error as Parameters<typeof refusalHeading>[0]);
    return refused(session, { heading, errors: problems.map((problem) => ({ field: SETUP_FIELDS.cycleFile, message: problem.text })) });
  }
  const taken = await setUpCycle(cycle, "cycle file", deps);
  if (taken !== undefined) return refused(session, { errors: [{ field: SETUP_FIELDS.cycleFile, message: taken }] });
  return redirect(`/cycles/${cycle.config.id}`);
}

const draftFieldsSchema = z.object({ tool: z.string().max(32), group: z.string().max(200) }).partial().loose();

/** Draft from an export, as `asye init` does: the draft is kept under an opaque id (never the export), and its form shown. */
async function draftFromExport(_params: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const form = await readMultipart(request);
  const typed = draftFieldsSchema.parse(form?.fields ?? {});
  const state = { group: typed.group, tool: typed.tool };
  const options = draftOptionsSchema.safeParse({ ...(typed.tool ? { tool: typed.tool } : {}), ...(typed.group?.trim() ? { group: typed.group.trim() } : {}) });
  const file = fileOf(form, "export", EXPORT_MAX_BYTES);
  const errors = [
    ...(typeof file === "string" ? [{ field: SETUP_FIELDS.exportFile, message: file }] : []),
    ...(options.success ? [] : options.error.issues.map((issue) => ({ field: issue.path[0] === "tool" ? SETUP_FIELDS.tool : SETUP_FIELDS.group, message: `--${issue.path.join(".")}: ${issue.message}` }))),
  ];
  if (typeof file === "string" || !options.success) return refused(session, { ...state, errors });
  const name = shownName(file, "export.csv");
  try {
    const draft = await draftCycle(() => Readable.from([file.bytes]), name, options.data);
    const said = describeDraft(draft, { out: undefined, exportFile: name });
    const found = said.slice(0, said.findIndex((line) => line.startsWith("  to decide:")) + 1);
    const id = await createDraft(deps.store, { exportName: name, found, cycle: draft.cycle as unknown as Record<string, unknown> }, deps.now());
    return redirect(`/setup/drafts/${id}`);
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    return refused(session, { ...state, errors: [{ field: SETUP_FIELDS.exportFile, message: `${error.file}: refused: ${error.reason}` }] });
  }
}
