import { type OutputFile, publishVersion, readPublishedDocument, resultsFile, writeVersion } from "../publication/publishResults.ts";
import type { CurrentBatch, IngestLedger, Publication } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import { type ObjectStore, readAll } from "../ports/objectStore.ts";
import type { ReportFanOut } from "../ports/reportFanOut.ts";
import type { WorkQueue } from "../ports/workQueue.ts";
import { tableCsv } from "../publication/tableCsv.ts";
import { codeVersion } from "../version.ts";
import { ALL_ORGANISATIONS_SLOT } from "./allOrganisationsSlot.ts";
import { decodeEvaluationBatch, type EvaluationResponse } from "./evaluationBatch.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import { type EvaluationResults, evaluationResultsSchema, type OrganisationResults, organisationResultsSchema } from "./evaluationResultsSchema.ts";
import { nationalTables } from "./nationalTables.ts";
import { nationalReportHtml } from "./nationalReport.ts";
import { nationalStatements, regionalAverages, themeSummaries } from "./nationalComposites.ts";
import { organisationResults } from "./organisationResults.ts";
import { type OrganisationScores, organisationScores, sentAnything } from "./organisationScores.ts";

/** What a 360 compute needs from the outside world. */
export interface EvaluationComputeDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  fanOut: ReportFanOut;
  /** Where one message per included organisation goes (each renders that organisation's report). */
  reportQueue: WorkQueue;
  log: Logger;
  now?: () => Date;
  /** Whether the workers print each report to PDF too (they do in AWS; the local runtime may not). */
  reportsAsPdf: boolean;
  /** Prints the national report to PDF (headless Chromium); without it only its HTML is published. */
  printPdf?: (html: string, title: string) => Promise<Uint8Array>;
}

/** One message of the fan-out: render this organisation's report from this version's data. */
export interface OrganisationReportMessage {
  cycleId: string;
  /** The version folder (the fan-out's run). */
  folder: string;
  organisation: string;
}

/**
 * Computes a 360 cycle from the current batches: every organisation's scores, the national
 * figures over the included organisations (with last year's), themes and regions. Writes the
 * national results, report and tables and each included organisation's data to a new version
 * folder, records a fan-out of one personalised report per included organisation and sends one
 * queue message for each; the worker that finishes the last report publishes the version.
 * Safe to run again: each run writes its own version, and only the newest is ever published.
 */
export async function computeEvaluation(config: EvaluationConfig, deps: EvaluationComputeDeps): Promise<{ results: EvaluationResults; folder: string; organisations: number }> {
  const generation = await deps.ledger.generation(config.id);
  const batches = await deps.ledger.currentBatches(config.id);
  const { responses, uploads } = await currentResponses(config, batches, deps);
  const scored = organisationScores(config, responses);
  const included = scored.filter((o) => o.included);
  const previous = config.previousCycleId ? await loadPrevious(config.previousCycleId, deps) : undefined;
  const statements = nationalStatements(config, included, previous?.results);
  const computedAt = (deps.now ?? (() => new Date()))().toISOString();
  const provenance = { generation, computedAt, codeVersion: codeVersion(), uploads };
  const results: EvaluationResults = evaluationResultsSchema.parse({
    schemaVersion: 1,
    kind: "evaluation360",
    cycle: cycleHeading(config, previous?.results),
    rules: {
      nationalAverage: "the mean of the included organisations' scores, each organisation counting once; an organisation's score is the mean of all its respondents' ratings",
      inclusion: config.inclusion,
      minimumRespondentsPerType: config.minimumRespondentsPerType,
      minimumOrganisationsPerRegion: config.minimumOrganisationsPerRegion,
      unrated: config.unrated,
      rag: config.rag,
    },
    organisations: organisationCounts(config, scored),
    statements,
    themes: themeSummaries(config, statements),
    regions: regionalAverages(config, included),
    organisationReports: included.map((o) => ({ id: o.id, json: `organisations/${o.id}.json`, html: `organisations/${o.id}.html`, ...(deps.reportsAsPdf ? { pdf: `organisations/${o.id}.pdf` } : {}) })),
    provenance,
  });
  const files = await versionFiles(config, results, included, previous?.organisations, deps);
  const written = await writeVersion(config.id, provenance, files, deps.store);
  await startReports(config, results, written, deps);
  deps.log.info("360 results computed; personalised reports sent to the queue", { cycleId: config.id, generation, folder: written.folder!, included: included.length, excluded: results.organisations.excluded });
  return { results, folder: written.folder!, organisations: included.length };
}

/** The results' cycle: its title, and last year's and the cut-off when there are. */
function cycleHeading(config: EvaluationConfig, previous: EvaluationResults | undefined) {
  return {
    id: config.id,
    title: config.title,
    ...(config.previousCycleId ? { previousCycleId: config.previousCycleId } : {}),
    ...(previous ? { previousCycleTitle: previous.cycle.title } : {}),
    ...(config.inclusion.submittedBy ? { submittedBy: config.inclusion.submittedBy } : {}),
  };
}

/** How many organisations are registered, included and left out (and why), and the responses counted and left out as late. */
function organisationCounts(config: EvaluationConfig, scored: readonly OrganisationScores[]) {
  const included = scored.filter((o) => o.included);
  const excluded = scored.filter((o) => !o.included && sentAnything(o));
  return {
    registered: config.organisations.length,
    included: included.length,
    excluded: excluded.length,
    excludedBecause: {
      noSelfAssessment: excluded.filter((o) => o.exclusion === "no-self-assessment").length,
      tooFewOtherRespondents: excluded.filter((o) => o.exclusion === "too-few-other-respondents").length,
    },
    withoutData: scored.filter((o) => !sentAnything(o)).length,
    responsesCounted: included.reduce((total, o) => total + Object.values(o.respondents).reduce((a, b) => a + b, 0), 0),
    lateResponsesLeftOut: scored.reduce((total, o) => total + o.late, 0),
  };
}

/** The version's files: results.json first, the national report (and PDF) and tables, and each included organisation's data. */
async function versionFiles(
  config: EvaluationConfig,
  results: EvaluationResults,
  included: readonly OrganisationScores[],
  previous: Map<string, OrganisationResults> | undefined,
  deps: EvaluationComputeDeps,
): Promise<OutputFile[]> {
  const organisationFiles: OutputFile[] = included.map((organisation) => {
    const document: OrganisationResults = organisationResultsSchema.parse(organisationResults(config, organisation, results, previous?.get(organisation.id)));
    return { name: `organisations/${organisation.id}.json`, body: `${JSON.stringify(document, null, 2)}\n`, contentType: "application/json" };
  });
  const tables = nationalTables(config, results);
  const html = nationalReportHtml(config, results, tables);
  return [
    resultsFile(results),
    { name: "report.html", body: html, contentType: "text/html; charset=utf-8" },
    ...(deps.printPdf ? [{ name: "report.pdf", body: await deps.printPdf(html, `${results.cycle.title}: national results`), contentType: "application/pdf" }] : []),
    ...tables.map((table) => ({ name: `tables/${table.id}.csv`, body: tableCsv(table), contentType: "text/csv; charset=utf-8" })),
    ...organisationFiles,
  ];
}

/**
 * Records the fan-out of one personalised report per included organisation and queues a
 * message for each; with none to render, publishes the written version straight away.
 */
async function startReports(config: EvaluationConfig, results: EvaluationResults, written: Publication, deps: EvaluationComputeDeps): Promise<void> {
  // The personalised reports are part of the version: published with it, once all are rendered.
  const reportFiles = results.organisationReports.flatMap((report) => [report.html, ...(report.pdf ? [report.pdf] : [])]);
  const publication = { ...written, files: [...written.files!, ...reportFiles] };
  const folder = written.folder!;
  const organisations = results.organisationReports.map((report) => report.id);
  await deps.fanOut.start(config.id, folder, organisations, publication);
  if (organisations.length === 0) {
    await publishVersion(written, deps);
  } else {
    const messages = organisations.map((organisation) => JSON.stringify({ cycleId: config.id, folder, organisation } satisfies OrganisationReportMessage));
    await deps.reportQueue.sendAll(messages);
  }
}

/**
 * The responses of the current batches. An organisation's own export (uploaded under its id)
 * replaces its rows in the export of every organisation.
 */
async function currentResponses(config: EvaluationConfig, batches: readonly CurrentBatch[], deps: EvaluationComputeDeps): Promise<{ responses: EvaluationResponse[]; uploads: EvaluationResults["provenance"]["uploads"] }> {
  const ownExports = new Set(batches.filter((b) => b.group !== ALL_ORGANISATIONS_SLOT).map((b) => b.group));
  const responses: EvaluationResponse[] = [];
  const uploads: EvaluationResults["provenance"]["uploads"] = [];
  const order = config.statements.map((s) => s.number);
  for (const batch of batches) {
    const { header, responses: rows } = decodeEvaluationBatch(await readAll((await deps.store.getStream(batch.normalizedKey)).body), batch.normalizedKey);
    // Ratings in the cycle's statement order, whatever order the batch was written in.
    const column = order.map((number) => header.statements.indexOf(number));
    for (const row of rows) {
      if (batch.group === ALL_ORGANISATIONS_SLOT && ownExports.has(row.organisation)) continue;
      responses.push({ ...row, ratings: Uint8Array.from(column, (index) => (index < 0 ? 0 : row.ratings[index]!)) });
    }
    uploads.push({ slot: batch.group, key: batch.upload.key, etag: batch.upload.etag, checksum: batch.checksum, accepted: batch.counts.accepted });
  }
  if (ownExports.size > 0) deps.log.info("organisations' own exports replace their rows in the export of every organisation", { cycleId: config.id, organisations: ownExports.size });
  return { responses, uploads };
}

/** Last year's published national results and each organisation's results, when published. */
async function loadPrevious(cycleId: string, deps: EvaluationComputeDeps): Promise<{ results: EvaluationResults; organisations: Map<string, OrganisationResults> } | undefined> {
  const loaded = await readPublishedDocument(cycleId, evaluationResultsSchema, deps);
  if (loaded.status !== "ok") {
    deps.log.warn(`last year's 360 results ${loaded.status === "missing" ? "are missing" : "are unreadable"}; the year-on-year columns are left empty`, { previousCycleId: cycleId });
    return undefined;
  }
  const publication = await deps.ledger.published(cycleId);
  const organisations = new Map<string, OrganisationResults>();
  for (const report of loaded.document.organisationReports) {
    const text = publication?.folder ? await deps.store.getText(`${publication.folder}/${report.json}`) : undefined;
    const parsed = text === undefined ? undefined : organisationResultsSchema.safeParse(JSON.parse(text));
    if (parsed?.success) organisations.set(report.id, parsed.data);
  }
  return { results: loaded.document, organisations };
}
