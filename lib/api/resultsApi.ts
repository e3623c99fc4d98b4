import { randomUUID } from "node:crypto";
import { fileType } from "../publication/fileType.ts";
import { z } from "zod";
import { readPublishedDocument } from "../publication/publishResults.ts";
import { listCycles, loadCycle } from "../config/cycleStore.ts";
import type { LoadedCycle } from "../kinds/cycleKind.ts";
import { cycleKinds } from "../kinds/registry.ts";
import { UnknownCycleError } from "../errors.ts";
import { ingestUpload } from "../ingest/ingestUpload.ts";
import type { IngestLedger } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import { type ObjectStore, readAll } from "../ports/objectStore.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
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

const cycleIdSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a cycle id is lower-case letters, digits and dashes");

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
  if (segments.length === 1) return method === "GET" ? cycleList(request, deps) : notAllowed("GET");

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

  const cycle = await loadCycle(deps.store, cycleId);
  const document = await loadResults(cycle, deps);
  if (document === undefined) return errorResponse(404, "not-computed", `cycle ${cycleId} has no results yet`);
  if (segments.length === 3) return jsonResponse(request, document);
  return resultsSection(request, cycle, document, segments[3]!);
}

/** One section of a cycle's results, when its kind serves any alone. */
function resultsSection(request: ApiRequest, cycle: LoadedCycle, document: unknown, name: string): ApiResponse {
  const sections = cycle.type.sections;
  if (sections === undefined) return errorResponse(400, "bad-request", `cycle ${cycle.config.id} is a ${cycle.kind} cycle: its results are fetched whole, and its reports and tables as files`);
  const section = sections.find((candidate) => candidate.name === name);
  if (section === undefined) return errorResponse(400, "bad-request", `section "${name}": a section is one of ${sections.map((candidate) => candidate.name).join(", ")}`);
  return jsonResponse(request, section.select(document));
}

/** Every cycle with its kind's listing: kind by kind in the registry's order, each kind's cycles in key order. */
async function cycleList(request: ApiRequest, deps: ResultsApiDeps): Promise<ApiResponse> {
  const now = (deps.now ?? (() => new Date()))();
  const { cycles: stored, invalid } = await listCycles(deps.store);
  for (const entry of invalid) deps.log.warn("a stored cycle configuration is invalid", entry);
  const cycles: Record<string, unknown>[] = [];
  for (const cycle of cycleKinds().flatMap((kind) => stored.filter((c) => c.type === kind))) {
    // One cycle's unreadable results never break the list: that cycle shows as not computed.
    const loaded = await readPublishedDocument(cycle.config.id, cycle.type.resultsSchema, deps);
    if (loaded.status === "unreadable") deps.log.warn("a cycle's results are unreadable; listed as not computed", { cycleId: cycle.config.id, error: loaded.error });
    cycles.push(cycle.type.listEntry(cycle.config, loaded.status === "ok" ? loaded.document : undefined, now));
  }
  return jsonResponse(request, { cycles });
}

const FILE_NAME = /^(report\.(pdf|html)|tables\.xlsx|figure-\d{1,4}\.(svg|png|csv)|[a-z0-9-]{1,80}\.(csv|json|html|pdf))$/;

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
  return fileResponse(request, await readAll(object.body), fileType(name), name);
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
    // A kind whose compute needs what this function has no access to (a queue, personal data) is
    // computed by the compute function, which the receipts the re-ingest wrote trigger.
    if (!cycle.type.computesAfterReingest) return jsonResponse(request, { cycleId, uploads, results: "recomputing: the results follow from the ingest receipts" });
    const computed = await cycle.type.compute(cycle.config, { store: deps.store, ledger: deps.ledger, recipients: deps.recipients, log: deps.log });
    return jsonResponse(request, { cycleId, uploads, results: computed.key, status: computed.status, computedAt: computed.computedAt });
  } finally {
    await deps.ledger.releaseLock(cycleId, "reingest", holder);
  }
}

/** A cycle's published results, read by its kind's schema; undefined when none are published. */
async function loadResults(cycle: LoadedCycle, deps: ResultsApiDeps): Promise<unknown> {
  const loaded = await readPublishedDocument(cycle.config.id, cycle.type.resultsSchema, deps);
  if (loaded.status === "missing") return undefined;
  if (loaded.status === "unreadable") throw new Error(`the results of ${cycle.config.id} are unreadable: ${loaded.error}`);
  return loaded.document;
}

function notFound(path: string): ApiResponse {
  return errorResponse(404, "not-found", `no route for ${path}`);
}

function notAllowed(allowed: string): ApiResponse {
  return errorResponse(405, "method-not-allowed", `use ${allowed}`, { allow: allowed });
}
