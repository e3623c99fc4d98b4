/**
 * Every S3 key the pipeline reads or writes, in one place.
 *
 * - `cycles/{cycleId}/cycle.json`                    cycle configuration (written by the survey team's CLI)
 * - `uploads/{cycleId}/{group}/{file}`               raw exports (.csv, .tsv, .txt, .xlsx), never changed or deleted
 * - `normalized/{cycleId}/{group}/{etag}.bin`        validated, compact responses
 * - `rejects/{cycleId}/{group}/{etag}.json`          rejection report of one upload
 * - `coded/{cycleId}/{group}/{etag}.json`            open-text answers' codes (response id → codes; never the text)
 * - `coding/{cycleId}/{question}.csv`                an analyst's coding file, overriding the rules
 * - `ingested/{cycleId}/{group}/{etag}.json`         ingest receipt (triggers compute)
 * - `results/{cycleId}/versions/{version}/…`         one compute's outputs (results.json, report.html, tables.xlsx,
 *                                                     tables/*.csv), never changed
 * - `results/{cycleId}/…` (the same names)            copies of the published version (the ledger's pointer is authoritative)
 * - `personal/uploads/{cycleId}/{group}/{file}`      raw exports of personal data (outcome records): encrypted with
 *                                                     the personal-data key, expired by the lifecycle rule
 * - `personal/records/{cycleId}/{group}/{etag}.json` normalized outcome records (personal data; same key, same expiry)
 * - `aggregates/{cycleId}/{group}/{etag}.json`       counts by cohort × characteristic × outcome, kept for trends
 */
export const storageKeys = {
  cycleConfig: (cycleId: string) => `cycles/${cycleId}/cycle.json`,
  upload: (cycleId: string, group: string, file: string) => `uploads/${cycleId}/${group}/${file}`,
  /** Where an export of personal data (outcome records) is uploaded: encrypted, and expired after the retention. */
  personalUpload: (cycleId: string, group: string, file: string) => `${PERSONAL_PREFIX}uploads/${cycleId}/${group}/${file}`,
  /** One upload's normalized outcome records (personal data). */
  outcomeRecords: (cycleId: string, group: string, etag: string) => `${PERSONAL_PREFIX}records/${cycleId}/${group}/${safeEtag(etag)}.json`,
  /** One upload's outcome counts (no personal data): they outlive the records. */
  outcomeAggregates: (cycleId: string, group: string, etag: string) => `aggregates/${cycleId}/${group}/${safeEtag(etag)}.json`,
  normalized: (cycleId: string, group: string, etag: string) =>
    `normalized/${cycleId}/${group}/${safeEtag(etag)}.bin`,
  rejectionReport: (cycleId: string, group: string, etag: string) =>
    `rejects/${cycleId}/${group}/${safeEtag(etag)}.json`,
  /** The codes of one upload's open-text answers (never the text). */
  codedAnswers: (cycleId: string, group: string, etag: string) => `coded/${cycleId}/${group}/${safeEtag(etag)}.json`,
  /** An analyst's coding of an open-text question (response_id, code; CSV), overriding the rules. */
  codingFile: (cycleId: string, questionId: string) => `coding/${cycleId}/${questionId}.csv`,
  receipt: (cycleId: string, group: string, etag: string) =>
    `ingested/${cycleId}/${group}/${safeEtag(etag)}.json`,
  results: (cycleId: string) => `results/${cycleId}/results.json`,
  report: (cycleId: string) => `results/${cycleId}/report.html`,
  /** One compute's outputs: its ledger generation (zero-padded, so keys sort) and its time. */
  resultsVersion: (cycleId: string, generation: number, computedAt: string) =>
    `results/${cycleId}/versions/${String(generation).padStart(8, "0")}-${computedAt.replace(/[^0-9]/g, "")}`,
  /** The fixed key of a published file (`results.json`, `report.html`, `tables.xlsx`, `tables/…csv`). */
  publishedFile: (cycleId: string, name: string) => `results/${cycleId}/${name}`,
};

/** Everything under this prefix is personal data: encrypted with its own key, and expired after the retention period. */
export const PERSONAL_PREFIX = "personal/";

/** The parts of an upload key, or undefined when the key is not `[personal/]uploads/{cycleId}/{group}/{file}`. */
export function parseUploadKey(
  key: string,
): { cycleId: string; group: string; file: string } | undefined {
  const match = /^(?:personal\/)?uploads\/([^/]+)\/([^/]+)\/(.+)$/.exec(key);
  if (!match) return undefined;
  return { cycleId: match[1]!, group: match[2]!, file: match[3]! };
}

/** The cycle id of an ingest receipt key, or undefined. */
export function parseReceiptKey(key: string): { cycleId: string; group: string } | undefined {
  const match = /^ingested\/([^/]+)\/([^/]+)\/[^/]+\.json$/.exec(key);
  if (!match) return undefined;
  return { cycleId: match[1]!, group: match[2]! };
}

function safeEtag(etag: string): string {
  return etag.replace(/[^A-Za-z0-9-]/g, "");
}
