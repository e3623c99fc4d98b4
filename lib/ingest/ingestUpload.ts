import { loadCycleConfig } from "../config/cycleStore.ts";
import { readCsvRecords } from "../csv/readCsvRecords.ts";
import { CycleConfigError, FileRejectedError, UnknownCycleError } from "../errors.ts";
import type { IngestCounts, IngestLedger, UploadRecord, UploadRef } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import { tokenHash } from "../reminders/recipientHash.ts";
import { ObjectChangedError, type ObjectStore } from "../ports/objectStore.ts";
import { parseUploadKey, storageKeys } from "../storageKeys.ts";
import { BatchWriter } from "./batchWriter.ts";
import { encodeRow, type RowProblem } from "./encodeRow.ts";
import { buildExportLayout, type ExportLayout } from "./exportLayout.ts";
import { RejectionCollector, type RejectionReport } from "./rejectionReport.ts";

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
      "uploads must be placed at uploads/{cycleId}/{group}/{file}.csv",
    );
  }
  const config = await loadCycleConfig(deps.store, upload.cycleId);
  if (!config.groups.some((group) => group.id === upload.group)) {
    throw new FileRejectedError(
      upload.key,
      `unknown group "${upload.group}" for cycle ${config.id} (groups: ${config.groups.map((g) => g.id).join(", ")})`,
    );
  }
  const source = await deps.store.getStream(upload.key, upload.etag);
  const normalizedKey = storageKeys.normalized(upload.cycleId, upload.group, upload.etag);
  const rejections = new RejectionCollector();
  const firstRowById = new Map<string, number>();
  // Only hashes of tokens are kept, and only to mark recipients: never on the responses.
  const tokenHashes = new Set<string>();
  let layout: ExportLayout | undefined;
  let writer: BatchWriter | undefined;
  let written: Promise<void> | undefined;
  let rows = 0;
  let duplicates = 0;
  let bytesRead = 0;
  const rowProblems: RowProblem[] = [];

  const body = countBytes(source.body, (n) => {
    bytesRead += n;
    deps.onProgress?.(bytesRead, rows);
  });
  try {
    const summary = await readCsvRecords(body, upload.key, (records, firstRow, parseProblems) => {
      let start = 0;
      if (records.length === 0) return undefined;
      if (!layout) {
        layout = buildExportLayout(config, upload.group, records[0]!, upload.key);
        writer = new BatchWriter(layout.header, layout.rowWidth);
        written = deps.store.putStream(normalizedKey, writer.stream, "application/octet-stream");
        written.catch(() => undefined);
        start = 1;
      }
      const unreadable = new Set(parseProblems.map((problem) => problem.row));
      for (const problem of parseProblems) {
        rejections.reject([
          { row: problem.row, column: "(whole row)", value: "", expected: problem.message },
        ]);
      }
      for (let i = start; i < records.length; i++) {
        const row = firstRow + i;
        rows++;
        if (unreadable.has(row)) continue;
        const record = records[i]!;
        rowProblems.length = 0;
        if (!encodeRow(layout, record, row, writer!.buffer, writer!.used, rowProblems)) {
          rejections.reject(rowProblems);
          continue;
        }
        const id = record[layout.responseId]!.trim();
        const firstSeen = firstRowById.get(id);
        if (firstSeen !== undefined) {
          duplicates++;
          rejections.duplicate({ row, responseId: id, firstRow: firstSeen });
          continue;
        }
        firstRowById.set(id, row);
        writer!.commit();
        if (layout.token >= 0 && deps.recipients) {
          const token = record[layout.token]!.trim();
          if (token !== "") tokenHashes.add(tokenHash(token));
        }
      }
      return writer!.stream.writableNeedDrain ? writer!.drained() : undefined;
    });
    if (!layout)
      throw new FileRejectedError(
        upload.key,
        "the file is empty: expected a header row and responses",
      );
    if (rows === 0)
      throw new FileRejectedError(upload.key, "the file has a header row but no responses");
    writer!.end();
    await written;

    const counts: IngestCounts = {
      rows,
      accepted: writer!.rows,
      rejected: rejections.rejectedRows,
      duplicates,
    };
    const record: UploadRecord = {
      upload,
      status: "accepted",
      checksum: summary.sha256,
      counts,
      normalizedKey,
      finishedAt: now().toISOString(),
    };
    if (!rejections.isEmpty) {
      record.rejectionReportKey = storageKeys.rejectionReport(
        upload.cycleId,
        upload.group,
        upload.etag,
      );
      const report: RejectionReport = {
        ...fileRejectionReport(upload, undefined),
        rows,
        accepted: counts.accepted,
        rejectedRows: counts.rejected,
        duplicates: rejections.duplicates,
        problemsByColumn: rejections.problemsByColumn,
        problems: rejections.problems,
        truncated: rejections.truncated,
      };
      await deps.store.put(
        record.rejectionReportKey,
        JSON.stringify(report, null, 2),
        "application/json",
      );
    }
    const current = await deps.ledger.makeCurrent({
      cycleId: upload.cycleId,
      group: upload.group,
      upload,
      checksum: summary.sha256,
      normalizedKey,
      counts,
    });
    if (deps.recipients && tokenHashes.size > 0) {
      const matched = await deps.recipients.markResponded(upload.cycleId, upload.group, [...tokenHashes], now());
      deps.log.info("recipients marked as responded", { key: upload.key, tokens: tokenHashes.size, matched });
    }
    await deps.ledger.finish(record);
    await deps.store.put(
      storageKeys.receipt(upload.cycleId, upload.group, upload.etag),
      JSON.stringify({ upload: upload.key, etag: upload.etag, current, counts }),
      "application/json",
    );
    deps.log.info("upload ingested", { key: upload.key, ...counts, current, bytes: summary.bytes });
    return { status: "accepted", record, current };
  } catch (error) {
    writer?.abort(error instanceof Error ? error : new Error(String(error)));
    await written?.catch(() => undefined);
    throw error;
  }
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
