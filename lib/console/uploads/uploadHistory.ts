import type { AnyCycle } from "../../config/parseAnyCycle.ts";
import type { IngestCounts, UploadRecord } from "../../ports/ingestLedger.ts";
import { storageKeys } from "../../storageKeys.ts";
import type { CycleReadDeps } from "../cycleListing.ts";

/** An upload's state as the page names it (the ledger's, plus the two it cannot record). */
export type UploadState = "queued" | "processing" | "retrying" | "accepted" | "refused";

/** One upload of a group: one version of one upload key. */
export interface UploadRow {
  /** The key's last part (the file name given at upload; the console's are `console-{id}.csv`). */
  file: string;
  uploadedAt: string;
  state: UploadState;
  counts?: IngestCounts;
  reason?: string;
  current: boolean;
  /** The version's ETag, naming its rejection report, when it has one. */
  reportEtag?: string;
}

/** A group's uploads, newest first. */
export interface GroupHistory {
  group: string;
  personal: boolean;
  uploads: UploadRow[];
}

/**
 * Every upload of every group of a cycle, from the bucket's keys and the ledger's records: one row
 * per version the ledger has seen, and a "queued" row for a key it has not seen yet.
 */
export async function uploadHistory(cycle: AnyCycle, deps: CycleReadDeps): Promise<GroupHistory[]> {
  const cycleId = cycle.config.id;
  const current = new Set((await deps.ledger.currentBatches(cycleId)).map((batch) => `${batch.upload.key}@${batch.upload.etag}`));
  const now = deps.now();
  const history: GroupHistory[] = [];
  for (const group of cycle.type.uploadPlaces(cycle.config).names) {
    const personal = cycle.type.isPersonalPlace(cycle.config, group);
    const prefix = (personal ? storageKeys.personalUpload : storageKeys.upload)(cycleId, group, "");
    const uploads: UploadRow[] = [];
    for (const { key, lastModified } of await deps.store.listDated(prefix)) {
      const records = await deps.ledger.records(key);
      const file = key.slice(prefix.length);
      if (records.length === 0) uploads.push({ file, uploadedAt: lastModified.toISOString(), state: "queued", current: false });
      for (const record of records) uploads.push(rowOf(record, file, current.has(`${key}@${record.upload.etag}`), now));
    }
    uploads.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
    history.push({ group, personal, uploads });
  }
  return history;
}

function rowOf(record: UploadRecord, file: string, current: boolean, now: Date): UploadRow {
  const live = record.leaseUntil !== undefined && Date.parse(record.leaseUntil) > now.getTime();
  const state: UploadState = record.status === "accepted" ? "accepted" : record.status === "rejected" ? "refused" : live ? "processing" : "retrying";
  return {
    file,
    uploadedAt: record.upload.uploadedAt,
    state,
    ...(record.counts ? { counts: record.counts } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    current,
    ...(record.rejectionReportKey ? { reportEtag: record.upload.etag } : {}),
  };
}
