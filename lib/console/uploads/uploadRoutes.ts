import { z } from "zod";
import { loadCycle } from "../../config/cycleStore.ts";
import type { AnyCycle } from "../../config/parseAnyCycle.ts";
import { storageKeys } from "../../storageKeys.ts";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "../consoleHttp.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";
import type { Route } from "../consoleRoutes.ts";
import { errorPage } from "../errorPage.ts";
import { html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Role } from "../roles.ts";
import type { Session } from "../session.ts";
import { checkPage } from "./checkPage.ts";
import { checkViewSchema } from "./checkView.ts";
import { rejectionReportCsv, rejectionReportPage, storedReportSchema } from "./rejectionReportPage.ts";
import { type StagedRef, checkStaged, stagedWrittenAt, usedAlready, useStaged } from "./stagedExport.ts";
import { STAGED_UPLOAD_MAX_BYTES, UPLOAD_FORM_SECONDS, newStagingId, placeSchema, stagedKey, stagingIdSchema } from "./stagingKeys.ts";
import { uploadHistory } from "./uploadHistory.ts";
import { uploadPage } from "./uploadPage.ts";
import { whatHappenedPage } from "./whatHappenedPage.ts";

const cycleIdSchema = z.string().max(64).regex(/^[a-z0-9][a-z0-9-]*$/);
const etagSchema = z.string().max(64).regex(/^[A-Za-z0-9-]+$/);
const hostSchema = z.string().max(255).regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/);
const TEAM: readonly Role[] = ["survey-team"];
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };

/** The console's upload pages and actions (issue 23, items 3 and 4), with the roles allowed each. */
export const UPLOAD_ROUTES: readonly Route[] = [
  // Uploads are the survey team's: their file names and rejection reports (which quote cells) may
  // say who someone is, so report authors, who have the published results, are refused them.
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/uploads$/, roles: TEAM, handle: showWhatHappened },
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/groups\/([^/]+)\/upload$/, roles: TEAM, handle: showUploadForm },
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/groups\/([^/]+)\/staged\/([^/]+)$/, roles: TEAM, handle: showCheck },
  { method: "POST", pattern: /^\/cycles\/([^/]+)\/groups\/([^/]+)\/staged\/([^/]+)\/use$/, roles: TEAM, handle: useExport },
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/groups\/([^/]+)\/rejections\/([^/.]+)\.csv$/, roles: TEAM, handle: downloadReport },
  { method: "GET", pattern: /^\/cycles\/([^/]+)\/groups\/([^/]+)\/rejections\/([^/.]+)$/, roles: TEAM, handle: showReport },
];

/** A cycle and one of its places from the address, or undefined when either is malformed or not the cycle's. */
async function placeOf(cycleParam: string | undefined, groupParam: string | undefined, deps: ConsoleDeps): Promise<{ cycle: AnyCycle; group: string } | undefined> {
  const cycleId = cycleIdSchema.safeParse(cycleParam);
  const group = placeSchema.safeParse(groupParam);
  if (!cycleId.success || !group.success) return undefined;
  const cycle = await loadCycle(deps.store, cycleId.data);
  return cycle.type.uploadPlaces(cycle.config).names.includes(group.data) ? { cycle, group: group.data } : undefined;
}

async function showWhatHappened([id]: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const cycleId = cycleIdSchema.safeParse(id);
  if (!cycleId.success) return errorPage(404, "There is no such cycle.", session);
  const cycle = await loadCycle(deps.store, cycleId.data);
  const groups = await uploadHistory(cycle, deps);
  const title = (cycle.config as { title?: string }).title ?? cycleId.data;
  const data = { cycleId: cycleId.data, title, groups, shownAt: deps.now(), canUpload: deps.uploadSigner !== undefined, recomputable: deps.requestRecompute !== undefined };
  return respond(200, HTML_TYPE, whatHappenedPage(data, session));
}

/** The upload form of one group, with a presigned POST for one new staged key (exact key, size range, redirect, expiry). */
async function showUploadForm([id, group]: string[], request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const place = await placeOf(id, group, deps);
  const host = hostSchema.safeParse(request.headers.host);
  if (place === undefined || deps.uploadSigner === undefined || !host.success) return errorPage(404, "There is no such group to upload to.", session);
  const cycleId = place.cycle.config.id;
  if (place.cycle.type.isPersonalPlace(place.cycle.config, place.group)) return errorPage(404, "Exports of personal data are uploaded with asye ingest, to the encrypted area, not through the console.", session);
  const stagingId = newStagingId();
  const origin = deps.publicOrigin ?? `${/^(localhost|127\.0\.0\.1)(:|$)/.test(host.data) ? "http" : "https"}://${host.data}`;
  const form = await deps.uploadSigner.presign({
    key: stagedKey(cycleId, place.group, stagingId),
    maxBytes: STAGED_UPLOAD_MAX_BYTES,
    expiresSeconds: UPLOAD_FORM_SECONDS,
    redirect: `${origin}/cycles/${cycleId}/groups/${place.group}/staged/${stagingId}`,
  });
  return { ...respond(200, HTML_TYPE, uploadPage({ cycleId, group: place.group }, form, session)), formTargets: [new URL(form.url).origin] };
}

/** A staged export from the address, with its cycle, or the page that says why there is none. */
async function stagedOf(params: string[], session: Session, deps: ConsoleDeps): Promise<{ ref: StagedRef; cycle: AnyCycle } | ConsoleResponse> {
  const place = await placeOf(params[0], params[1], deps);
  const stagingId = stagingIdSchema.safeParse(params[2]);
  if (place === undefined || !stagingId.success) return errorPage(404, "There is no such staged export.", session);
  return { ref: { cycleId: place.cycle.config.id, group: place.group, stagingId: stagingId.data }, cycle: place.cycle };
}

async function showCheck(params: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const staged = await stagedOf(params, session, deps);
  if (!("ref" in staged)) return staged;
  const writtenAt = await stagedWrittenAt(deps.store, staged.ref, deps.now());
  if (writtenAt === undefined) return stagedGone(staged.ref, session);
  const checked = await checkStaged(deps.store, staged.cycle, staged.ref);
  const check = "unreadable" in checked ? checked : { view: checkViewSchema.parse(checked.outcome.result) };
  return respond(200, HTML_TYPE, checkPage({ ref: staged.ref, writtenAt, check }, session));
}

/** "Use this export": copies the staged export to the group's upload key (once), then shows what happened. */
async function useExport(params: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const staged = await stagedOf(params, session, deps);
  if (!("ref" in staged)) return staged;
  const done = redirect(`/cycles/${staged.ref.cycleId}/uploads`);
  if ((await usedAlready(deps.store, staged.ref)) !== undefined) return done;
  if ((await stagedWrittenAt(deps.store, staged.ref, deps.now())) === undefined) return stagedGone(staged.ref, session);
  const key = await useStaged(deps.store, staged.ref);
  deps.log.info("a staged export was made a group's upload", { cycleId: staged.ref.cycleId, group: staged.ref.group, key });
  return done;
}

function stagedGone(ref: StagedRef, session: Session): ConsoleResponse {
  const main = html`<h1 class="govuk-heading-l">This export is no longer here</h1>
<p class="govuk-body">Uploaded exports are kept for 24 hours to be checked and used, then deleted. This one has expired, or was never uploaded.</p>
<p class="govuk-body"><a class="govuk-link" href="/cycles/${ref.cycleId}/groups/${ref.group}/upload">Upload the export for ${ref.group} again</a></p>`;
  return respond(410, HTML_TYPE, layout({ title: "This export is no longer here", session, main, back: { href: `/cycles/${ref.cycleId}/uploads`, text: "Uploads" } }));
}

/** A stored rejection report from the address, or the 404 page. */
async function reportOf(params: string[], session: Session, deps: ConsoleDeps) {
  const place = await placeOf(params[0], params[1], deps);
  const etag = etagSchema.safeParse(params[2]);
  if (place === undefined || !etag.success) return errorPage(404, "There is no such rejection report.", session);
  const text = await deps.store.getText(storageKeys.rejectionReport(place.cycle.config.id, place.group, etag.data));
  if (text === undefined) return errorPage(404, "There is no such rejection report.", session);
  return { place: { cycleId: place.cycle.config.id, group: place.group, etag: etag.data }, report: storedReportSchema.parse(JSON.parse(text)) };
}

async function showReport(params: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const found = await reportOf(params, session, deps);
  return "report" in found ? respond(200, HTML_TYPE, rejectionReportPage(found.place, found.report, session)) : found;
}

async function downloadReport(params: string[], _request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const found = await reportOf(params, session, deps);
  if (!("report" in found)) return found;
  const name = `rejections-${found.place.cycleId}-${found.place.group}.csv`;
  return respond(200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` }, rejectionReportCsv(found.report));
}
