import { loadCycle } from "../config/cycleStore.ts";
import type { AnyCycle } from "../config/parseAnyCycle.ts";
import { ALL_ORGANISATIONS_SLOT, encodeEvaluationExport } from "../evaluation360/encodeEvaluationExport.ts";
import { encodeOutcomesExport, OUTCOME_RECORDS_SLOT } from "../outcomes/encodeOutcomesExport.ts";
import { encodeLegacyAggregates, LEGACY_AGGREGATES_SLOT } from "../outcomes/encodeLegacyAggregates.ts";
import { aggregateRecords } from "../outcomes/outcomeRecords.ts";
import { CycleConfigError, FileRejectedError, UnknownCycleError } from "../errors.ts";
import type { IngestCounts, IngestLedger, UploadRecord, UploadRef } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import { ObjectChangedError, type ObjectStore } from "../ports/objectStore.ts";
import { PERSONAL_PREFIX, parseUploadKey, storageKeys } from "../storageKeys.ts";
import type { BatchWriter } from "./batchWriter.ts";
import { type EncodedUpload, encodeExport } from "../survey/ingest/encodeExport.ts";
import type { RejectionReport } from "./rejectionReport.ts";
import { refusalOfAcceptedShare } from "./acceptedShareGuard.ts";

/** What ingest needs from the outside world. */
export interface IngestDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
  now?: () => Date;
  /** How long a claim on an upload lasts before another worker may take it over. */
  leaseMs?: number;
  /** Where recipients are marked as responded from response tokens (when the export has them). */
  recipients?: RecipientStore;
  /** Called as bytes are read, for progress on a terminal. */
  onProgress?: (bytesRead: number, rows: number) => void;
}

/** The result of one ingest delivery. */
export type IngestOutcome =
  | { status: "accepted"; record: UploadRecord; current: boolean }
  | { status: "rejected"; record: UploadRecord }
  | { status: "already-done"; record: UploadRecord }
  | { status: "busy"; record: UploadRecord };

const DEFAULT_LEASE_MS = 15 * 60 * 1000;

/**
 * Ingests one uploaded export: validates every row against the questionnaire, writes the
 * normalized batch and a rejection report, records the upload in the ledger and makes the
 * batch the group's current one (a later upload for the group replaces an earlier one).
 * The same upload delivered twice, or twice at once, is processed once.
 */
export async function ingestUpload(upload: UploadRef, deps: IngestDeps): Promise<IngestOutcome> {
  const now = deps.now ?? (() => new Date());
  const claim = await deps.ledger.claim(upload, now(), deps.leaseMs ?? DEFAULT_LEASE_MS);
  if (claim.outcome === "finished") {
    deps.log.info("upload already ingested; nothing to do", {
      key: upload.key,
      status: claim.record.status,
    });
    return { status: "already-done", record: claim.record };
  }
  if (claim.outcome === "busy") {
    deps.log.info("upload is being ingested by another worker", { key: upload.key });
    return { status: "busy", record: claim.record };
  }

  try {
    return await ingestClaimed(upload, deps, now);
  } catch (error) {
    const reason = fileLevelReason(error);
    if (reason === undefined) {
      await deps.ledger.finish({ upload, status: "processing", leaseUntil: now().toISOString() });
      throw error;
    }
    const record: UploadRecord = {
      upload,
      status: "rejected",
      reason,
      rejectionReportKey: storageKeys.rejectionReport(upload.cycleId, upload.group, upload.etag),
      finishedAt: now().toISOString(),
    };
    await deps.store.put(
      record.rejectionReportKey!,
      JSON.stringify(fileRejectionReport(upload, reason), null, 2),
      "application/json",
    );
    await deps.ledger.finish(record);
    deps.log.warn("upload rejected", { key: upload.key, reason });
    return { status: "rejected", record };
  }
}

async function ingestClaimed(
  upload: UploadRef,
  deps: IngestDeps,
  now: () => Date,
): Promise<IngestOutcome> {
  if (parseUploadKey(upload.key) === undefined) {
    throw new FileRejectedError(
      upload.key,
      "uploads must be placed at uploads/{cycleId}/{group}/{file}.csv (or .xlsx, .txt)",
    );
  }
  const cycle = await loadCycle(deps.store, upload.cycleId);
  checkSlot(cycle, upload);
  const source = await deps.store.getStream(upload.key, upload.etag);
  let bytesRead = 0;
  const body = countBytes(source.body, (n) => {
    bytesRead += n;
  });
  let encoding: Encoding | undefined;
  try {
    encoding = await encode(cycle, upload, body, deps, (rows) => deps.onProgress?.(bytesRead, rows));
    const { encoded, normalizedKey } = encoding;
    const { rows, rejections } = encoded;
    if (rows === 0) throw new FileRejectedError(upload.key, "the file has a header row but no responses");
    const counts: IngestCounts = {
      rows,
      accepted: encoding.accepted,
      rejected: rejections.rejectedRows,
      duplicates: encoded.duplicates,
    };
    const refusal = refusalOfAcceptedShare(counts, cycle.config.minimumAcceptedShare, rejections.problemsByColumn);
    const reportKey = storageKeys.rejectionReport(upload.cycleId, upload.group, upload.etag);
    const report: RejectionReport = {
      ...fileRejectionReport(upload, refusal),
      source: describeSource(encoded),
      rows,
      accepted: counts.accepted,
      rejectedRows: counts.rejected,
      duplicates: rejections.duplicates,
      problemsByColumn: rejections.problemsByColumn,
      problems: rejections.problems,
      truncated: rejections.truncated,
    };
    if (refusal !== undefined) {
      // The batch is abandoned: nothing normalized is kept, nothing becomes current.
      await encoding.abandon(new Error("upload refused"));
      await deps.store.put(reportKey, JSON.stringify(report, null, 2), "application/json");
      const record: UploadRecord = {
        upload,
        status: "rejected",
        reason: refusal,
        checksum: encoded.facts.sha256,
        counts,
        rejectionReportKey: reportKey,
        finishedAt: now().toISOString(),
      };
      await deps.ledger.finish(record);
      deps.log.warn("upload refused: too few valid rows", { key: upload.key, ...counts });
      return { status: "rejected", record };
    }
    await encoding.keep();
    if (Object.keys(encoded.openText).length > 0) {
      await deps.store.put(
        storageKeys.codedAnswers(upload.cycleId, upload.group, upload.etag),
        JSON.stringify({ cycleId: upload.cycleId, group: upload.group, questions: encoded.openText }),
        "application/json",
      );
    }

    const record: UploadRecord = {
      upload,
      status: "accepted",
      checksum: encoded.facts.sha256,
      counts,
      normalizedKey,
      finishedAt: now().toISOString(),
    };
    if (!rejections.isEmpty) {
      record.rejectionReportKey = reportKey;
      await deps.store.put(reportKey, JSON.stringify(report, null, 2), "application/json");
    }
    const current = await deps.ledger.makeCurrent({
      cycleId: upload.cycleId,
      group: upload.group,
      upload,
      checksum: encoded.facts.sha256,
      normalizedKey,
      counts,
    });
    if (deps.recipients && encoded.tokenHashes.size > 0) {
      const matched = await deps.recipients.markResponded(upload.cycleId, upload.group, [...encoded.tokenHashes], now());
      deps.log.info("recipients marked as responded", { key: upload.key, tokens: encoded.tokenHashes.size, matched });
    }
    await deps.ledger.finish(record);
    await deps.store.put(
      storageKeys.receipt(upload.cycleId, upload.group, upload.etag),
      JSON.stringify({ upload: upload.key, etag: upload.etag, current, counts }),
      "application/json",
    );
    deps.log.info("upload ingested", { key: upload.key, ...counts, current, bytes: encoded.facts.bytes });
    return { status: "accepted", record, current };
  } catch (error) {
    await encoding?.abandon(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/** An upload read and validated, its normalized form not yet kept. */
interface Encoding {
  encoded: Omit<EncodedUpload, "writer">;
  accepted: number;
  normalizedKey: string;
  /** Keeps the normalized form (ends its stream, or writes its files). */
  keep(): Promise<void>;
  /** Abandons it: nothing normalized is kept. */
  abandon(error: Error): Promise<void>;
}

/**
 * Reads and validates an upload as its cycle's kind says. Survey and 360 batches stream to
 * `normalized/…` while the file is read; outcome records (personal data) are kept under
 * `personal/records/…`, with their counts under `aggregates/…`, which outlive them; earlier
 * years' counts (the `aggregates` place) go straight to `aggregates/…`.
 */
async function encode(cycle: AnyCycle, upload: UploadRef, body: AsyncIterable<Uint8Array>, deps: IngestDeps, onProgress: (rows: number) => void): Promise<Encoding> {
  if (cycle.kind === "outcomes" && upload.group === LEGACY_AGGREGATES_SLOT) {
    const encoded = await encodeLegacyAggregates(body, cycle.config, upload.key);
    const normalizedKey = storageKeys.outcomeAggregates(upload.cycleId, upload.group, upload.etag);
    const rows = encoded.rows - encoded.rejections.rejectedRows;
    return {
      encoded: { ...encoded, duplicates: 0, tokenHashes: new Set(), openText: {} },
      accepted: rows,
      normalizedKey,
      keep: () => deps.store.put(normalizedKey, JSON.stringify(encoded.aggregates), "application/json"),
      abandon: async () => undefined,
    };
  }
  if (cycle.kind === "outcomes") {
    const encoded = await encodeOutcomesExport(body, cycle.config, upload.group, upload.key);
    const normalizedKey = storageKeys.outcomeRecords(upload.cycleId, upload.group, upload.etag);
    return {
      encoded: { ...encoded, tokenHashes: new Set(), openText: {} },
      accepted: encoded.batch.records.length,
      normalizedKey,
      async keep() {
        await deps.store.put(normalizedKey, JSON.stringify(encoded.batch), "application/json");
        await deps.store.put(storageKeys.outcomeAggregates(upload.cycleId, upload.group, upload.etag), JSON.stringify(aggregateRecords(encoded.batch)), "application/json");
      },
      abandon: async () => undefined,
    };
  }
  const normalizedKey = storageKeys.normalized(upload.cycleId, upload.group, upload.etag);
  let written: Promise<void> | undefined;
  let writer: BatchWriter | undefined;
  const onWriter = (created: BatchWriter) => {
    writer = created;
    written = deps.store.putStream(normalizedKey, created.stream, "application/octet-stream");
    written.catch(() => undefined);
  };
  const abandon = async (error: Error) => {
    writer?.abort(error);
    await written?.catch(() => undefined);
  };
  try {
    const encoded: EncodedUpload =
      cycle.kind === "survey"
        ? await encodeExport(body, {
            config: cycle.config,
            group: upload.group,
            file: upload.key,
            ...(deps.recipients ? { hashToken: (token: string) => deps.recipients!.hashToken(token) } : {}),
            onWriter,
            onProgress,
          })
        : await encodeEvaluationExport(body, { config: cycle.config, slot: upload.group, file: upload.key, onWriter, onProgress });
    return {
      encoded,
      accepted: encoded.writer.rows,
      normalizedKey,
      async keep() {
        encoded.writer.end();
        await written;
      },
      abandon,
    };
  } catch (error) {
    await abandon(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/**
 * Refuses an upload to a place the cycle does not have: an annual-survey cycle's groups, or a
 * 360 cycle's `responses` (every organisation) and its organisations' ids.
 */
function checkSlot(cycle: AnyCycle, upload: UploadRef): void {
  if (cycle.kind === "survey") {
    const groups = cycle.config.groups.map((g) => g.id);
    if (!groups.includes(upload.group)) throw new FileRejectedError(upload.key, `unknown group "${upload.group}" for cycle ${cycle.config.id} (groups: ${groups.join(", ")})`);
    return;
  }
  if (cycle.kind === "outcomes") {
    // Earlier years' counts are not personal data: they go under uploads/ like any export.
    if (upload.group === LEGACY_AGGREGATES_SLOT && !upload.key.startsWith(PERSONAL_PREFIX)) return;
    if (upload.group !== OUTCOME_RECORDS_SLOT || !upload.key.startsWith(PERSONAL_PREFIX)) {
      throw new FileRejectedError(upload.key, `outcome records are personal data: upload them to ${PERSONAL_PREFIX}uploads/${cycle.config.id}/${OUTCOME_RECORDS_SLOT}/ (encrypted, and expired after ${cycle.config.retentionYears} years); earlier years' counts go to uploads/${cycle.config.id}/${LEGACY_AGGREGATES_SLOT}/`);
    }
    return;
  }
  if (upload.group !== ALL_ORGANISATIONS_SLOT && !cycle.config.organisations.some((o) => o.id === upload.group)) {
    throw new FileRejectedError(upload.key, `"${upload.group}" is not a place for uploads of 360 cycle ${cycle.config.id}: upload every organisation's responses to uploads/${cycle.config.id}/${ALL_ORGANISATIONS_SLOT}/, or one organisation's to uploads/${cycle.config.id}/{organisation id}/`);
  }
}

/** How the file was read, for the rejection report. */
function describeSource(encoded: Pick<EncodedUpload, "facts">): RejectionReport["source"] {
  return {
    format: encoded.facts.format,
    ...(encoded.facts.encoding ? { encoding: encoded.facts.encoding } : {}),
    ...(encoded.facts.delimiter ? { delimiter: encoded.facts.delimiter } : {}),
  };
}

async function* countBytes(
  body: AsyncIterable<Uint8Array>,
  counted: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    counted(chunk.length);
    yield chunk;
  }
}

/** The message that rejects the whole file, or undefined when the error is not about the file. */
function fileLevelReason(error: unknown): string | undefined {
  if (error instanceof FileRejectedError) return error.reason;
  if (error instanceof UnknownCycleError) return error.message;
  if (error instanceof CycleConfigError)
    return `the cycle configuration is invalid: ${error.message}`;
  if (error instanceof ObjectChangedError)
    return "the object was replaced by a newer upload before it was read";
  return undefined;
}

function fileRejectionReport(upload: UploadRef, reason: string | undefined): RejectionReport {
  return {
    file: upload.key,
    cycleId: upload.cycleId,
    group: upload.group,
    etag: upload.etag,
    ...(reason === undefined ? {} : { fileRejected: reason }),
    rows: 0,
    accepted: 0,
    rejectedRows: 0,
    duplicates: [],
    problemsByColumn: {},
    problems: [],
    truncated: false,
  };
}
