import { loadCycle } from "../config/cycleStore.ts";
import type { LoadedCycle, UploadEncoding } from "../kinds/cycleKind.ts";
import { CycleConfigError, FileRejectedError, UnknownCycleError } from "../errors.ts";
import type { IngestCounts, IngestLedger, UploadRecord, UploadRef } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import { ObjectChangedError, type ObjectStore } from "../ports/objectStore.ts";
import { parseUploadKey, storageKeys } from "../storageKeys.ts";
import { type RejectionReport, storedRejectionReport } from "./rejectionReport.ts";
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
      JSON.stringify(storedRejectionReport(fileRejectionReport(upload, reason), false), null, 2),
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
  cycle.type.checkUploadPlace(cycle.config, upload);
  const source = await deps.store.getStream(upload.key, upload.etag);
  let bytesRead = 0;
  const body = countBytes(source.body, (n) => {
    bytesRead += n;
  });
  const onProgress = (rows: number) => deps.onProgress?.(bytesRead, rows);
  const encoding = await cycle.type.encodeUpload(cycle.config, upload, body, { store: deps.store, recipients: deps.recipients, log: deps.log, now, onProgress });
  try {
    return await settle(cycle, upload, encoding, deps, now);
  } catch (error) {
    await encoding.abandon(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/**
 * The guard's decision on an encoded upload: refused (too few valid rows: nothing is kept, the
 * report says why) or accepted.
 */
async function settle(cycle: LoadedCycle, upload: UploadRef, encoding: UploadEncoding, deps: IngestDeps, now: () => Date): Promise<IngestOutcome> {
  const { rows, rejections } = encoding;
  if (rows === 0) throw new FileRejectedError(upload.key, "the file has a header row but no responses");
  const counts: IngestCounts = { rows, accepted: encoding.accepted, rejected: rejections.rejectedRows, duplicates: encoding.duplicates, ...(rejections.incompleteRows > 0 ? { incomplete: rejections.incompleteRows } : {}) };
  const refusal = refusalOfAcceptedShare(counts, cycle.config.minimumAcceptedShare, rejections.problemsByColumn);
  const type = cycle.type;
  const cellsArePersonal = type.cellsArePersonal ? type.cellsArePersonal(cycle.config, upload.group) : type.isPersonalPlace(cycle.config, upload.group);
  const report: RejectionReport = storedRejectionReport({
    ...fileRejectionReport(upload, refusal),
    source: describeSource(encoding),
    rows,
    accepted: counts.accepted,
    rejectedRows: counts.rejected,
    ...(counts.incomplete ? { incompleteRows: counts.incomplete } : {}),
    duplicates: rejections.duplicates,
    problemsByColumn: rejections.problemsByColumn,
    problems: rejections.problems,
    truncated: rejections.truncated,
  }, cellsArePersonal);
  if (refusal === undefined) return accept(upload, encoding, counts, report, deps, now);
  // The batch is abandoned: nothing normalized is kept, nothing becomes current.
  await encoding.abandon(new Error("upload refused"));
  const reportKey = storageKeys.rejectionReport(upload.cycleId, upload.group, upload.etag);
  await deps.store.put(reportKey, JSON.stringify(report, null, 2), "application/json");
  const record: UploadRecord = {
    upload,
    status: "rejected",
    reason: refusal,
    checksum: encoding.facts.sha256,
    counts,
    rejectionReportKey: reportKey,
    finishedAt: now().toISOString(),
  };
  await deps.ledger.finish(record);
  deps.log.warn("upload refused: too few valid rows", { key: upload.key, ...counts });
  return { status: "rejected", record };
}

/**
 * Keeps an accepted upload's normalized form, then makes it its place's current batch (unless a
 * later upload is current), finishes its ledger record and writes the receipt that triggers compute.
 */
async function accept(upload: UploadRef, encoding: UploadEncoding, counts: IngestCounts, report: RejectionReport, deps: IngestDeps, now: () => Date): Promise<IngestOutcome> {
  await encoding.keep();
  const { normalizedKey } = encoding;
  const record: UploadRecord = { upload, status: "accepted", checksum: encoding.facts.sha256, counts, normalizedKey, finishedAt: now().toISOString() };
  if (encoding.facts.warnings) deps.log.warn("upload read with warnings", { key: upload.key, warnings: encoding.facts.warnings });
  if (!encoding.rejections.isEmpty || encoding.facts.warnings) {
    record.rejectionReportKey = storageKeys.rejectionReport(upload.cycleId, upload.group, upload.etag);
    await deps.store.put(record.rejectionReportKey, JSON.stringify(report, null, 2), "application/json");
  }
  const current = await deps.ledger.makeCurrent({ cycleId: upload.cycleId, group: upload.group, upload, checksum: encoding.facts.sha256, normalizedKey, counts });
  await encoding.afterAccepted?.();
  await deps.ledger.finish(record);
  await deps.store.put(
    storageKeys.receipt(upload.cycleId, upload.group, upload.etag),
    JSON.stringify({ upload: upload.key, etag: upload.etag, current, counts }),
    "application/json",
  );
  deps.log.info("upload ingested", { key: upload.key, ...counts, current, bytes: encoding.facts.bytes });
  return { status: "accepted", record, current };
}

/** How the file was read, for the rejection report. */
function describeSource(encoded: Pick<UploadEncoding, "facts">): RejectionReport["source"] {
  return {
    format: encoded.facts.format,
    ...(encoded.facts.encoding ? { encoding: encoded.facts.encoding } : {}),
    ...(encoded.facts.delimiter ? { delimiter: encoded.facts.delimiter } : {}),
    ...(encoded.facts.compression ? { compression: encoded.facts.compression } : {}),
    ...(encoded.facts.warnings ? { warnings: encoded.facts.warnings } : {}),
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
