import { randomUUID } from "node:crypto";
import { z } from "zod";
import { computeResults } from "../survey/compute/computeResults.ts";
import { readPublishedDocument, readPublishedResults } from "../publication/publishResults.ts";
import { cycleState } from "../survey/config/cycleState.ts";
import { listCycleConfigs, loadCycle } from "../config/cycleStore.ts";
import { type EvaluationResults, evaluationResultsSchema } from "../evaluation360/evaluationResultsSchema.ts";
import { type OutcomesResults, outcomesResultsSchema } from "../outcomes/outcomesResultsSchema.ts";
import { UnknownCycleError } from "../errors.ts";
import { ingestUpload } from "../ingest/ingestUpload.ts";
import type { IngestLedger } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import { type ObjectStore, readAll } from "../ports/objectStore.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import type { ResultsDocument } from "../survey/results/resultsSchema.ts";
import { type ApiRequest, type ApiResponse, errorResponse, fileResponse, header, jsonResponse } from "./apiResponse.ts";
import { hasBearerToken } from "./bearerToken.ts";

/** What the results API needs from the outside world. */
export interface ResultsApiDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  recipients?: RecipientStore;
  log: Logger;
  /** The bearer token report authors present to read (the `ResultsApiToken` secret). */
  token: string;
  /** The separate token that may re-run ingestion (the `IngestApiToken` secret): reading does not allow it. */
  ingestToken: string;
  now?: () => Date;
  /** How long a re-ingest may hold its cycle's lock (the function's remaining time). */
  leaseMs?: number;
}

/** The sections of the results document that can be fetched alone. */
export const SECTIONS = {
  "response-rates": "responseRates",
  items: "items",
  "item-sets": "itemSets",
  rankings: "rankings",
  comparisons: "comparisons",
} as const satisfies Record<string, keyof ResultsDocument>;

const cycleIdSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a cycle id is lower-case letters, digits and dashes");
const sectionSchema = z.enum(Object.keys(SECTIONS) as [keyof typeof SECTIONS, ...(keyof typeof SECTIONS)[]], {
  message: `a section is one of ${Object.keys(SECTIONS).join(", ")}`,
});

/**
 * The report authors' HTTP API over the results in S3:
 * - `GET /cycles`: every cycle with its state (not-yet-open, open, closed) and when its results were computed;
 * - `GET /cycles/{id}/results`: the whole results document;
 * - `GET /cycles/{id}/results/{section}`: one section (response-rates, items, item-sets, rankings, comparisons);
 * - `GET /cycles/{id}/files/{name}`: a published file: `report.pdf`, `report.html`, `tables.xlsx`, or a
 *   figure or table (`figure-3.svg` / `.png` / `.csv`, `table-6.csv`);
 * - `POST /cycles/{id}/ingest`: re-runs ingestion of the current uploads and recomputes.
 * Every request needs the bearer token. Errors are JSON with a message, never a stack trace.
 */
export async function handleResultsRequest(request: ApiRequest, deps: ResultsApiDeps): Promise<ApiResponse> {
  const authorization = header(request, "authorization");
  const canIngest = hasBearerToken(authorization, deps.ingestToken);
  if (!canIngest && !hasBearerToken(authorization, deps.token)) {
    return errorResponse(401, "unauthorized", "a valid bearer token is required", {
      "www-authenticate": 'Bearer realm="asye-results"',
    });
  }
  let segments: string[];
  try {
    segments = request.path.split("/").filter((part) => part !== "").map(decodeURIComponent);
  } catch {
    return errorResponse(400, "bad-request", "the path is not valid URL encoding");
  }
  try {
    return await route(request, segments, deps, canIngest);
  } catch (error) {
    if (error instanceof UnknownCycleError) return errorResponse(404, "not-found", error.message);
    deps.log.error("results API request failed", { method: request.method, path: request.path, error: String(error) });
    return errorResponse(500, "internal", "the request could not be completed; it has been logged");
  }
}

async function route(request: ApiRequest, segments: string[], deps: ResultsApiDeps, canIngest: boolean): Promise<ApiResponse> {
  const method = request.method.toUpperCase();
  if (segments[0] !== "cycles" || segments.length > 4) return notFound(request.path);
  if (segments.length === 1) return method === "GET" ? listCycles(request, deps) : notAllowed("GET");

  const id = cycleIdSchema.safeParse(segments[1]);
  if (!id.success) return errorResponse(400, "bad-request", `cycle id "${segments[1]}": ${id.error.issues[0]!.message}`);
  const cycleId = id.data;

  if (segments[2] === "ingest" && segments.length === 3) {
    if (method !== "POST") return notAllowed("POST");
    if (!canIngest) return errorResponse(403, "forbidden", "re-running ingestion needs the ingest token; the results token only reads");
    return reingest(request, cycleId, deps);
  }
  if (segments[2] === "files" && segments.length === 4) return method === "GET" ? publishedFile(request, cycleId, segments[3]!, deps) : notAllowed("GET");
  if (segments[2] !== "results") return notFound(request.path);
  if (method !== "GET") return notAllowed("GET");

  const document = await loadResults(cycleId, deps);
  if (document === undefined) return errorResponse(404, "not-computed", `cycle ${cycleId} has no results yet`);
  if (segments.length === 3) return jsonResponse(request, document);
  if (document.kind !== undefined) return errorResponse(400, "bad-request", `cycle ${cycleId} is a ${document.kind} cycle: its results are fetched whole, and its reports and tables as files`);
  const section = sectionSchema.safeParse(segments[3]);
  if (!section.success) return errorResponse(400, "bad-request", `section "${segments[3]}": ${section.error.issues[0]!.message}`);
  return jsonResponse(request, { cycle: document.cycle, status: document.status, [section.data]: document[SECTIONS[section.data]] });
}

async function listCycles(request: ApiRequest, deps: ResultsApiDeps): Promise<ApiResponse> {
  const now = (deps.now ?? (() => new Date()))();
  const { configs, evaluations, outcomes, invalid } = await listCycleConfigs(deps.store);
  for (const entry of invalid) deps.log.warn("a stored cycle configuration is invalid", entry);
  const cycles: Record<string, unknown>[] = [];
  for (const config of configs) {
    // One cycle's unreadable results never break the list: that cycle shows as not computed.
    const loaded = await readPublishedResults(config.id, deps);
    if (loaded.status === "unreadable") deps.log.warn("a cycle's results are unreadable; listed as not computed", { cycleId: config.id, error: loaded.error });
    const results = loaded.status === "ok" ? loaded.document : undefined;
    cycles.push({
      id: config.id,
      title: config.title,
      opens: config.schedule.opens,
      closes: config.schedule.closes,
      state: cycleState(config, now),
      kind: "survey",
      computed: results ? { at: results.provenance.computedAt, status: results.status } : null,
    });
  }
  for (const config of evaluations) {
    const loaded = await readPublishedDocument(config.id, evaluationResultsSchema, deps);
    cycles.push({
      id: config.id,
      title: config.title,
      kind: "evaluation360",
      computed: loaded.status === "ok" ? { at: loaded.document.provenance.computedAt, organisations: loaded.document.organisations.included } : null,
    });
  }
  for (const config of outcomes) {
    const loaded = await readPublishedDocument(config.id, outcomesResultsSchema, deps);
    cycles.push({
      id: config.id,
      title: config.title,
      kind: "outcomes",
      computed: loaded.status === "ok" ? { at: loaded.document.provenance.computedAt, completeCases: loaded.document.analysis?.completeCases ?? 0 } : null,
    });
  }
  return jsonResponse(request, { cycles });
}

const FILE_NAME = /^(report\.(pdf|html)|tables\.xlsx|figure-\d{1,4}\.(svg|png|csv)|[a-z0-9-]{1,80}\.(csv|json|html|pdf))$/;
const FILE_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  html: "text/html; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  svg: "image/svg+xml",
  png: "image/png",
  csv: "text/csv; charset=utf-8",
  json: "application/json",
};

/** One file of the published version, by name: figures under figures/, tables under tables/. */
async function publishedFile(request: ApiRequest, cycleId: string, name: string, deps: ResultsApiDeps): Promise<ApiResponse> {
  if (!FILE_NAME.test(name)) return errorResponse(400, "bad-request", `file "${name}": one of report.pdf, report.html, tables.xlsx, figure-N.svg|png|csv, {table}.csv, or a 360 organisation's report {organisation}.pdf|html|json`);
  const publication = await deps.ledger.published(cycleId);
  if (publication?.folder === undefined || publication.files === undefined) {
    await loadCycle(deps.store, cycleId);
    return errorResponse(404, "not-computed", `cycle ${cycleId} has no published files yet`);
  }
  const path = [`organisations/${name}`, `figures/${name}`, `tables/${name}`, name].find((candidate) => publication.files!.includes(candidate)) ?? name;
  if (!publication.files.includes(path)) return errorResponse(404, "not-found", `cycle ${cycleId} has no file ${name}`);
  const object = await deps.store.getStream(`${publication.folder}/${path}`);
  return fileResponse(request, await readAll(object.body), FILE_TYPES[name.split(".").pop()!]!, name);
}

/**
 * Re-runs ingestion of each group's current upload and recomputes, one re-ingest per cycle at a
 * time: a concurrent call is answered 409 and does nothing, so five parallel calls re-ingest once.
 */
async function reingest(request: ApiRequest, cycleId: string, deps: ResultsApiDeps): Promise<ApiResponse> {
  const cycle = await loadCycle(deps.store, cycleId);
  const now = (deps.now ?? (() => new Date()))();
  const holder = `${now.toISOString()}-${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? 60_000;
  if (!(await deps.ledger.acquireLock(cycleId, "reingest", holder, now, leaseMs))) {
    return errorResponse(409, "conflict", `a re-ingest of ${cycleId} is already running; try again when it has finished`);
  }
  try {
    const uploads = [];
    for (const batch of await deps.ledger.currentBatches(cycleId)) {
      // A new delivery of the same upload (same time, later sequencer), so it is processed again.
      const upload = { ...batch.upload, sequencer: `${batch.upload.sequencer}~rerun-${now.toISOString()}` };
      const outcome = await ingestUpload(upload, { store: deps.store, ledger: deps.ledger, recipients: deps.recipients, log: deps.log, leaseMs });
      uploads.push({ group: batch.group, key: upload.key, status: outcome.status, counts: outcome.record.counts ?? null });
    }
    // A 360 cycle's compute fans out to a queue, and an outcomes compute reads personal data, neither
    // of which this function has access to: the receipts
    // the re-ingest wrote trigger it, as any upload's do.
    if (cycle.kind !== "survey") return jsonResponse(request, { cycleId, uploads, results: "recomputing: the results follow from the ingest receipts" });
    const { key, document } = await computeResults(cycleId, {
      store: deps.store,
      ledger: deps.ledger,
      recipients: deps.recipients,
      log: deps.log,
    });
    return jsonResponse(request, { cycleId, uploads, results: key, status: document.status, computedAt: document.provenance.computedAt });
  } finally {
    await deps.ledger.releaseLock(cycleId, "reingest", holder);
  }
}

async function loadResults(cycleId: string, deps: ResultsApiDeps): Promise<(ResultsDocument & { kind?: undefined }) | EvaluationResults | OutcomesResults | undefined> {
  const cycle = await loadCycle(deps.store, cycleId);
  const loaded =
    cycle.kind === "evaluation360"
      ? await readPublishedDocument(cycleId, evaluationResultsSchema, deps)
      : cycle.kind === "outcomes"
        ? await readPublishedDocument(cycleId, outcomesResultsSchema, deps)
        : await readPublishedResults(cycleId, deps);
  if (loaded.status === "missing") return undefined;
  if (loaded.status === "unreadable") throw new Error(`the results of ${cycleId} are unreadable: ${loaded.error}`);
  return loaded.document;
}

function notFound(path: string): ApiResponse {
  return errorResponse(404, "not-found", `no route for ${path}`);
}

function notAllowed(allowed: string): ApiResponse {
  return errorResponse(405, "method-not-allowed", `use ${allowed}`, { allow: allowed });
}
