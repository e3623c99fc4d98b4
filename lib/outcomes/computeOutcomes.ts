import { type OutputFile, publishVersion, resultsFile, writeVersion } from "../publication/publishResults.ts";
import type { CurrentBatch, IngestLedger } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { tableCsv } from "../publication/tableCsv.ts";
import { type WorkbookCover, workbookOf } from "../publication/tablesWorkbook.ts";
import { publishableSvg } from "../report/publishableSvg.ts";
import { dateInWords, PUBLISHER } from "../publication/publicationDetails.ts";
import { storageKeys } from "../storageKeys.ts";
import { codeVersion } from "../version.ts";
import { LEGACY_AGGREGATES_SLOT } from "./encodeLegacyAggregates.ts";
import { expireRecords } from "./expireRecords.ts";
import { analysedRecords, analysisCounts, decodeRecords, registrations, SUPPRESSION_WHY, trends, unsuccessfulRates } from "./outcomeFigures.ts";
import { type OutcomeAggregates, type OutcomeBatch, outcomeAggregatesSchema, outcomeBatchSchema } from "./outcomeRecords.ts";
import { outcomeRegression } from "./outcomeRegression.ts";
import type { OutcomesConfig } from "./outcomesConfig.ts";
import { outcomesFigures } from "./outcomesFigures.ts";
import { outcomesReportHtml } from "./outcomesReport.ts";
import { type OutcomesResults, outcomesResultsSchema } from "./outcomesResultsSchema.ts";
import { outcomesTables } from "./outcomesTables.ts";
import { serviceAreaComparison } from "./serviceAreaFigures.ts";

/** What computing an outcomes cycle needs. */
export interface OutcomesComputeDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
  now?: () => Date;
  /** Prints the report to PDF; without it (or render) only the HTML is published. */
  printPdf?: (html: string, title: string) => Promise<Uint8Array>;
  /** Prints the report to PDF and its figures to PNG (headless Chromium); used before printPdf when given. */
  render?: (html: string, title: string, figures: readonly string[]) => Promise<{ pdf: Uint8Array; pngs: Uint8Array[] }>;
}

/**
 * Computes an outcomes cycle: first deletes records past their retention, then reads the current
 * batch's records (personal data, never copied into the results) and the aggregates, and
 * publishes registrations, the complete-case counts, unsuccessful rates with suppression, the
 * regression and the trends, with the report and tables. Safe to run again: only the newest
 * compute's results are ever published.
 */
export async function computeOutcomes(config: OutcomesConfig, deps: OutcomesComputeDeps): Promise<{ results: OutcomesResults; published: boolean }> {
  const now = (deps.now ?? (() => new Date()))();
  await expireRecords(deps.store, config.id, config.retentionYears, now, deps.log);
  const generation = await deps.ledger.generation(config.id);
  const batches = await deps.ledger.currentBatches(config.id);
  const { kept, aggregates, uploads, expired } = await currentBatchContents(config, batches, deps.store);
  const everyArea = decodeRecords(kept);
  // Appendices 1 and 2 cover the analysed service area (child and family); Figures 4-6 compare them all.
  const records = analysedRecords(config, everyArea);
  const results: OutcomesResults = outcomesResultsSchema.parse({
    schemaVersion: 1,
    kind: "outcomes",
    cycle: { id: config.id, title: config.title, analysisCohorts: config.analysisCohorts, registrationCohort: config.registrationCohort },
    rules: {
      completeCase: `a record of the cohorts ${config.analysisCohorts.join(", ")} whose outcome is known and whose ${config.predictors.join(", ")} are all known`,
      suppression: { ...config.suppression, why: SUPPRESSION_WHY },
      retentionYears: config.retentionYears,
    },
    registrations: registrations(config, records),
    analysis: analysisCounts(config, records),
    rates: unsuccessfulRates(config, records),
    trends: trends(config, aggregates),
    regression: outcomeRegression(config, records),
    serviceAreas: serviceAreaComparison(config, everyArea),
    expiredRecords: expired,
    provenance: { generation, computedAt: now.toISOString(), codeVersion: codeVersion(), uploads },
  });
  const publication = await writeVersion(config.id, results.provenance, await outcomesFiles(results, deps), deps.store);
  const published = await publishVersion(publication, deps);
  deps.log.info("outcomes computed", { cycleId: config.id, generation, published, records: records.length, expiredUploads: expired.length });
  return { results, published };
}

/**
 * What the current batches hold: the records still kept (an upload whose records expired is
 * listed as such), the counts kept beside them, and earlier years' counts for the cohorts no
 * upload of records covers.
 */
async function currentBatchContents(config: OutcomesConfig, batches: readonly CurrentBatch[], store: ObjectStore) {
  const kept: OutcomeBatch[] = [];
  const aggregates: OutcomeAggregates[] = [];
  const uploads: OutcomesResults["provenance"]["uploads"] = [];
  const expired: string[] = [];
  const legacy: OutcomeAggregates[] = [];
  for (const batch of batches) {
    const counts = await store.getText(storageKeys.outcomeAggregates(config.id, batch.group, batch.upload.etag));
    if (batch.group === LEGACY_AGGREGATES_SLOT) {
      if (counts !== undefined) legacy.push(outcomeAggregatesSchema.parse(JSON.parse(counts)));
      uploads.push({ key: batch.upload.key, checksum: batch.checksum, accepted: batch.counts.accepted, recordsKept: false });
      continue;
    }
    const text = await store.getText(batch.normalizedKey);
    if (text === undefined) expired.push(batch.upload.key);
    else kept.push(outcomeBatchSchema.parse(JSON.parse(text)));
    if (counts !== undefined) aggregates.push(outcomeAggregatesSchema.parse(JSON.parse(counts)));
    uploads.push({ key: batch.upload.key, checksum: batch.checksum, accepted: batch.counts.accepted, recordsKept: text !== undefined });
  }
  // Earlier years' counts stand only for cohorts no upload of records covers: never counted twice.
  const covered = new Set(aggregates.flatMap((a) => Object.keys(a.cohorts)));
  for (const counts of legacy) {
    aggregates.push({ ...counts, cohorts: Object.fromEntries(Object.entries(counts.cohorts).filter(([cohort]) => !covered.has(cohort))) });
  }
  return { kept, aggregates, uploads, expired };
}

/**
 * The version's files: results.json first, the report (and PDF), the workbook, each table's CSV,
 * and each figure as SVG and CSV (and PNG where Chromium renders), the SVG and PNG with the
 * figure's published number, title and source line.
 */
async function outcomesFiles(results: OutcomesResults, deps: OutcomesComputeDeps): Promise<OutputFile[]> {
  // Numbers in the workbook; text with trailing zeros ("2.0") in the CSVs and the report.
  const tables = outcomesTables(results);
  const asText = outcomesTables(results, "text");
  const figures = outcomesFigures(results);
  const html = outcomesReportHtml(results, asText, figures, deps.render !== undefined);
  const standalone = await Promise.all(figures.map((figure) => publishableSvg(figure.svg, figure.title, `Source: ${results.cycle.title}, ${PUBLISHER.organisation}`)));
  const rendered = deps.render ? await deps.render(html, results.cycle.title, standalone) : undefined;
  const pdf = rendered?.pdf ?? (deps.printPdf ? await deps.printPdf(html, results.cycle.title) : undefined);
  return [
    resultsFile(results),
    { name: "report.html", body: html, contentType: "text/html; charset=utf-8" },
    ...(pdf ? [{ name: "report.pdf", body: pdf, contentType: "application/pdf" }] : []),
    { name: "tables.xlsx", body: await workbookOf(outcomesCover(results), tables), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    ...asText.map((table) => ({ name: `tables/${table.id}.csv`, body: tableCsv(table), contentType: "text/csv; charset=utf-8" })),
    ...figures.flatMap((figure, i) => [
      { name: `figures/${figure.id}.svg`, body: `<?xml version="1.0" encoding="UTF-8"?>\n${standalone[i]}\n`, contentType: "image/svg+xml" },
      { name: `figures/${figure.id}.csv`, body: tableCsv(figure.data), contentType: "text/csv; charset=utf-8" },
      ...(rendered?.pngs[i] ? [{ name: `figures/${figure.id}.png`, body: rendered.pngs[i], contentType: "image/png" }] : []),
    ]),
  ];
}

/** The workbook's cover: what the tables are, their source, a contact and the publication date. */
function outcomesCover(results: OutcomesResults): WorkbookCover {
  return {
    title: results.cycle.title,
    computedAt: results.provenance.computedAt,
    about: workbookAbout(results),
    source: `${results.cycle.title}: the ASYE registration platform's records, ${PUBLISHER.organisation}`,
    contact: PUBLISHER.contact,
    published: dateInWords(results.provenance.computedAt, "Europe/London"),
  };
}

/** The workbook cover's paragraphs. */
function workbookAbout(results: OutcomesResults): string[] {
  return [
    `Registrations and ASYE outcomes from the registration platform's records; the analysis covers the cohorts ${results.cycle.analysisCohorts.join(", ")}.`,
    `Results computed ${dateInWords(results.provenance.computedAt, "Europe/London", true)}. Records are kept ${results.rules.retentionYears} years; the trends come from counts kept after they expire.`,
    `A rate is withheld ([c]) under ${results.rules.suppression.minimumBase} complete cases or ${results.rules.suppression.minimumEvents} unsuccessful completions, and where it could be worked out from the others.`,
  ];
}
