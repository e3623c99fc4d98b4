import { z } from "zod";
import type { ComputeDeps as CycleComputeDeps } from "../../kinds/cycleKind.ts";
import type { CycleConfig } from "../config/cycleConfig.ts";
import { loadCycleConfig } from "../config/surveyCycleStore.ts";
import { readCsvRecords } from "../../csv/readCsvRecords.ts";
import { readXlsxRows } from "../../sources/readXlsxRows.ts";
import type { CodedAnswer } from "../ingest/encodeExport.ts";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { storageKeys } from "../../storageKeys.ts";
import type { CodingFile } from "./openTextCounts.ts";
import type { CurrentBatch } from "../../ports/ingestLedger.ts";
import type { RecipientStore } from "../../ports/recipientStore.ts";
import type { ObjectStore } from "../../ports/objectStore.ts";
import { type ResultsDocument, resultsDocumentSchema } from "../results/resultsSchema.ts";
import { publishedTables } from "../publication/publishedTables.ts";
import { tablesWorkbook } from "../publication/surveyWorkbook.ts";
import { type OutputFile, publishResults, readPublishedDocument } from "../../publication/publishResults.ts";
import { buildReport, type ReportFigure } from "../report/renderReport.ts";
import { tableCsv } from "../../publication/tableCsv.ts";
import { codeVersion } from "../../version.ts";
import { figureHeading, publishableSvg } from "../../report/publishableSvg.ts";
import { PUBLISHER } from "../../publication/publicationDetails.ts";
import { buildResults } from "./buildResults.ts";
import type { GroupTally } from "./groupTally.ts";
import { tallyBatch } from "./tallyBatch.ts";
import { readBatchRows } from "./readBatchRows.ts";
import { type GroupWeightingResult, weightGroup } from "./weightGroup.ts";
import { resolvePopulation } from "./resolvePopulation.ts";

/** What a survey compute needs from the outside world: the store, the ledger and the log; recipients and rendering when there are any. */
export type ComputeDeps = Pick<CycleComputeDeps, "store" | "ledger" | "log" | "now" | "recipients" | "render">;

/**
 * Computes a cycle's results from the current batch of each group and publishes them (see
 * {@link publishResults}): the JSON and the report together, and only if no compute that read
 * a later state of the ledger has published already. Safe to run any number of times, and
 * at the same time: it always starts from the current batches, so nothing is counted twice,
 * and results never go backwards.
 */
export async function computeResults(
  cycleId: string,
  deps: ComputeDeps,
): Promise<{ key: string; document: ResultsDocument; published: boolean }> {
  const { document, groups } = await computeDocument(cycleId, deps);
  const generation = document.provenance.generation;
  for (const rate of [...document.responseRates.groups, document.responseRates.total]) {
    if (rate.notAvailable !== null) deps.log.warn("response rate not available", { cycleId, group: rate.group, delivered: rate.delivered, responses: rate.responses, why: rate.notAvailable });
  }
  const tables = publishedTables(document);
  const { html, figures } = buildReport(document, { pngFigures: deps.render !== undefined });
  // The files an author pastes: each chart with its number, title and source (SVG and PNG alike).
  const standalone = await Promise.all(figures.map((f) => publishableSvg(f.svg, figureHeading(f.id, f.title), `Source: ${document.cycle.title}, ${PUBLISHER.organisation}`)));
  const rendered = deps.render ? await deps.render(html, document.cycle.title, standalone) : undefined;
  const { key, published } = await publishResults(
    document,
    [
      { name: "report.html", body: html, contentType: "text/html; charset=utf-8" },
      ...(rendered ? [{ name: "report.pdf", body: rendered.pdf, contentType: "application/pdf" }] : []),
      ...figureFiles(figures, standalone, rendered?.pngs),
      { name: "tables.xlsx", body: await tablesWorkbook(document, tables), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      ...tables.map((table) => ({ name: `tables/${table.id}.csv`, body: tableCsv(table), contentType: "text/csv; charset=utf-8" })),
    ],
    deps,
  );
  deps.log.info(published ? "results computed and published" : "results computed; newer results were already published", {
    cycleId,
    key,
    generation,
    status: document.status,
    groups,
  });
  return { key, document, published };
}

/**
 * A cycle's results document from the current batch of each group, validated, and how many
 * groups have a batch: what {@link computeResults} publishes, built without writing anything.
 */
export async function computeDocument(cycleId: string, deps: ComputeDeps): Promise<{ document: ResultsDocument; groups: number }> {
  const { config, generation, batches, tallies, coded, coding } = await loadComputeInputs(cycleId, deps);
  const previous = config.previousCycleId
    ? await loadPreviousResults(deps, config.previousCycleId)
    : undefined;
  const document = resultsDocumentSchema.parse(
    buildResults({
      config,
      tallies,
      batches,
      previous,
      now: (deps.now ?? (() => new Date()))(),
      codeVersion: codeVersion(),
      generation,
      coded,
      coding,
      weighting: await weightGroups(config, batches, deps),
      deliveredByRecipients: deps.recipients
        ? await deliveredByRecipients(deps.recipients, config.id, config.groups.map((g) => g.id))
        : undefined,
    }),
  );
  return { document, groups: batches.length };
}

/** Each weighted group with a current batch, weighted from its respondents' rows (read whole: weighting needs each one). */
async function weightGroups(config: CycleConfig, batches: readonly CurrentBatch[], deps: ComputeDeps): Promise<GroupWeightingResult[]> {
  const results: GroupWeightingResult[] = [];
  for (const weighting of config.weighting) {
    const batch = batches.find((b) => b.group === weighting.group);
    if (!batch) continue;
    const rows = await readBatchRows((await deps.store.getStream(batch.normalizedKey)).body, batch.normalizedKey);
    const result = weightGroup(config, weighting, rows, await resolvePopulation(config, weighting, deps));
    if (result.error) deps.log.warn("group not weighted", { cycleId: config.id, group: weighting.group, error: result.error });
    results.push(result);
  }
  return results;
}

/** What a cycle's results are computed from: its cycle file, each group's current batch and its counts, and the open-text codes. */
export interface ComputeInputs {
  config: CycleConfig;
  /** The ledger's generation, read before the batches: the results are at least as new. */
  generation: number;
  batches: CurrentBatch[];
  tallies: Map<string, GroupTally>;
  coded: Map<string, Record<string, CodedAnswer[]>>;
  coding: Map<string, CodingFile>;
}

/** Reads everything {@link computeDocument} builds a cycle's results from (the disclosure audits read it too). */
export async function loadComputeInputs(cycleId: string, deps: ComputeDeps): Promise<ComputeInputs> {
  const config = await loadCycleConfig(deps.store, cycleId);
  const generation = await deps.ledger.generation(cycleId);
  const batches = (await deps.ledger.currentBatches(cycleId)).filter((batch) =>
    config.groups.some((group) => group.id === batch.group),
  );
  const tallies = new Map<string, GroupTally>();
  for (const batch of batches) {
    const object = await deps.store.getStream(batch.normalizedKey);
    tallies.set(batch.group, await tallyBatch(object.body, batch.normalizedKey));
  }
  const { coded, coding } = await loadOpenText(config, batches, deps);
  return { config, generation, batches, tallies, coded, coding };
}

const codedFileSchema = z.object({ questions: z.record(z.string(), z.array(z.object({ responseId: z.string(), codes: z.array(z.string()) }))) });

/**
 * The codes ingest kept for each current batch's open-text answers, and the analyst's coding
 * files (`coding/{cycle}/{question}.csv`: response_id, code, and optionally group; a code by id
 * or label). A coding file's unknown codes are logged and left out.
 */
async function loadOpenText(config: CycleConfig, batches: readonly CurrentBatch[], deps: ComputeDeps): Promise<{ coded: Map<string, Record<string, CodedAnswer[]>>; coding: Map<string, CodingFile> }> {
  const coded = new Map<string, Record<string, CodedAnswer[]>>();
  const coding = new Map<string, CodingFile>();
  if (config.questionnaire.openText.length === 0) return { coded, coding };
  for (const batch of batches) {
    const text = await deps.store.getText(storageKeys.codedAnswers(config.id, batch.group, batch.upload.etag));
    if (text !== undefined) coded.set(batch.group, codedFileSchema.parse(JSON.parse(text)).questions);
  }
  for (const question of config.questionnaire.openText) {
    const rows = await readCodingFile(deps.store, storageKeys.codingFile(config.id, question.id));
    if (rows === undefined) continue;
    const codeOf = new Map(question.codebook.flatMap((code) => [[normalizeLabel(code.id), code.id], [normalizeLabel(code.label), code.id]] as const));
    const file: CodingFile = new Map();
    const unknown = new Set<string>();
    const [header = [], ...records] = rows;
    const at = (name: string) => header.findIndex((cell) => normalizeLabel(cell) === name);
    const columns = { id: at("response_id"), code: at("code"), group: at("group") };
    for (const record of records) {
      const id = record[columns.id]?.trim() ?? "";
      if (id === "") continue;
      const code = codeOf.get(normalizeLabel(record[columns.code] ?? ""));
      const where = columns.group >= 0 && record[columns.group]?.trim() ? `${record[columns.group]!.trim()}:${id}` : id;
      const codes = file.get(where) ?? [];
      if (code === undefined) unknown.add(record[columns.code] ?? "");
      else if (!codes.includes(code)) codes.push(code);
      file.set(where, codes);
    }
    const key = storageKeys.codingFile(config.id, question.id);
    if (unknown.size > 0) deps.log.warn("a coding file names codes the codebook does not have; they are left out", { key, codes: [...unknown].slice(0, 20) });
    coding.set(question.id, file);
  }
  return { coded, coding };
}

/** A coding file's rows: `{key}` as CSV, or the same name with .xlsx (its first sheet); undefined when neither exists. */
async function readCodingFile(store: ObjectStore, key: string): Promise<string[][] | undefined> {
  const rows: string[][] = [];
  const csv = await store.getText(key);
  if (csv !== undefined) {
    await readCsvRecords((async function* () { yield new TextEncoder().encode(csv); })(), key, (records) => {
      rows.push(...records);
      return undefined;
    });
    return rows;
  }
  const xlsxKey = key.replace(/\.csv$/, ".xlsx");
  const workbook = await store.getStream(xlsxKey).catch(() => undefined);
  if (workbook === undefined) return undefined;
  await readXlsxRows(workbook.body, xlsxKey, undefined, (batch) => {
    rows.push(...batch.records());
    return undefined;
  });
  return rows;
}

/** Each figure as SVG (standalone), CSV of the data it draws and, when rendered, PNG. */
function figureFiles(figures: readonly ReportFigure[], standalone: readonly string[], pngs: readonly Uint8Array[] | undefined): OutputFile[] {
  return figures.flatMap((figure, i) => [
    { name: `figures/${figure.id}.svg`, body: `<?xml version="1.0" encoding="UTF-8"?>\n${standalone[i]}\n`, contentType: "image/svg+xml" },
    { name: `figures/${figure.id}.csv`, body: tableCsv({ id: figure.id, sheet: figure.id, title: figure.title, notes: [], columns: figure.columns, rows: figure.rows }), contentType: "text/csv; charset=utf-8" },
    ...(pngs?.[i] ? [{ name: `figures/${figure.id}.png`, body: pngs[i]!, contentType: "image/png" }] : []),
  ]);
}

/** Invitations sent minus bounces, for each group whose recipient list has had invitations sent. */
async function deliveredByRecipients(
  recipients: RecipientStore,
  cycleId: string,
  groups: string[],
): Promise<Map<string, number>> {
  const delivered = new Map<string, number>();
  for (const group of groups) {
    const invited = (await recipients.recipients(cycleId, group)).filter((r) => r.invitedAt);
    if (invited.length > 0) delivered.set(group, invited.filter((r) => !r.bouncedAt).length);
  }
  return delivered;
}

async function loadPreviousResults(
  deps: ComputeDeps,
  cycleId: string,
): Promise<ResultsDocument | undefined> {
  const loaded = await readPublishedDocument(cycleId, resultsDocumentSchema, deps);
  if (loaded.status !== "ok") {
    deps.log.warn(`previous cycle's results ${loaded.status === "missing" ? "are missing" : "are unreadable"}; rank changes left empty`, {
      previousCycleId: cycleId,
    });
    return undefined;
  }
  return loaded.document;
}
