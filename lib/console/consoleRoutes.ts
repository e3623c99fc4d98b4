import { z } from "zod";
import { UnknownCycleError } from "../errors.ts";
import { loadCycle } from "../config/cycleStore.ts";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "./consoleHttp.ts";
import type { ConsoleDeps } from "./consoleDeps.ts";
import { cycleDetail, listCycleEntries } from "./cycleListing.ts";
import { cyclePage } from "./cyclePage.ts";
import { cyclesPage } from "./cyclesPage.ts";
import { errorPage } from "./errorPage.ts";
import { headlineTables } from "./headlineTables.ts";
import { fileType } from "../publication/fileType.ts";
import { openPublishedFile, readPublishedTable } from "./publishedFiles.ts";
import { REMINDER_ROUTES } from "./reminders/reminderRoutes.ts";
import { ADD_GROUP_ROUTES } from "./setup/addGroupRoutes.ts";
import { SETUP_ROUTES } from "./setup/setupRoutes.ts";
import type { Role } from "./roles.ts";
import type { Session } from "./session.ts";
import { UPLOAD_ROUTES } from "./uploads/uploadRoutes.ts";

/** A signed-in request's route: who may use it, and what it does with the path's parts. */
export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  roles: readonly Role[];
  handle(params: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse>;
}

const cycleIdSchema = z.string().max(64).regex(/^[a-z0-9][a-z0-9-]*$/);
const filePathSchema = z.string().max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/);
const EVERYONE: readonly Role[] = ["survey-team", "report-author"];
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };

/** Every page and action behind sign-in, with the roles allowed each (checked before it runs). */
export const ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/cycles$/, roles: EVERYONE, handle: async (_p, _r, session, deps) => respond(200, HTML_TYPE, cyclesPage(await listCycleEntries(deps), session)) },
  { method: "GET", pattern: /^\/cycles\/([^/]+)$/, roles: EVERYONE, handle: showCycle },
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/files\/(.+)$/, roles: EVERYONE, handle: download },
  { method: "POST", pattern: /^\/cycles\/([^/]+)\/recompute$/, roles: ["survey-team"], handle: recompute },
  ...REMINDER_ROUTES,
  ...SETUP_ROUTES,
  ...ADD_GROUP_ROUTES,
  ...UPLOAD_ROUTES,
];

async function showCycle([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const cycleId = cycleIdSchema.safeParse(id);
  if (!cycleId.success) return errorPage(404, "There is no such cycle.", session);
  const detail = await cycleDetail(cycleId.data, deps);
  const table6 = await readPublishedTable(detail.publication, "tables/table-6.csv", deps.store);
  const headlines = await headlineTables(detail.entry.kind, detail.publication, deps.store);
  // The compute function computes every kind (a 360 cycle's reports follow through its queue).
  return respond(200, HTML_TYPE, cyclePage({ detail, table6, headlines, recomputable: deps.requestRecompute !== undefined }, session));
}

/** A published file, streamed from the store as it is read (never held whole here). */
async function download([id, path]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const cycleId = cycleIdSchema.safeParse(id);
  const filePath = filePathSchema.safeParse(path);
  if (!cycleId.success || !filePath.success) return errorPage(404, "There is no such file.", session);
  await loadCycle(deps.store, cycleId.data);
  const file = await openPublishedFile(await deps.ledger.published(cycleId.data), filePath.data, deps.store);
  if (file === undefined) return errorPage(404, `Cycle ${cycleId.data} has no published file ${filePath.data}.`, session);
  const name = filePath.data.split("/").pop()!;
  return respond(200, { "content-type": fileType(name), "content-length": String(file.size), "content-disposition": `attachment; filename="${name}"` }, file.body);
}

async function recompute([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const cycleId = cycleIdSchema.safeParse(id);
  if (!cycleId.success || deps.requestRecompute === undefined) return errorPage(404, "There is no such cycle.", session);
  await loadCycle(deps.store, cycleId.data);
  await deps.requestRecompute(cycleId.data);
  return redirect(`/cycles/${cycleId.data}`);
}

/** Errors a route may throw that are the request's fault, as pages. */
export function knownErrorPage(error: unknown, session: Session): ConsoleResponse | undefined {
  if (error instanceof UnknownCycleError) return errorPage(404, "There is no such cycle.", session);
  return undefined;
}
