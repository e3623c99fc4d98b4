import type { AnyCycle } from "../../config/parseAnyCycle.ts";
import { FileRejectedError } from "../../errors.ts";
import type { ExportCheckOutcome } from "../../kinds/cycleKind.ts";
import type { ObjectStore } from "../../ports/objectStore.ts";
import { isStagedCurrent, stagedKey, uploadKeyOfStaged } from "./stagingKeys.ts";

/** One staged export: its cycle, place and staging id (all from the address, already validated). */
export interface StagedRef {
  cycleId: string;
  group: string;
  stagingId: string;
}

/** What checking a staged export found: the kind's check, or why the file could not be read at all. */
export type StagedCheck = { outcome: ExportCheckOutcome } | { unreadable: string };

/** The name a staged export is given in messages (never the person's own file name, which S3 is not told). */
export const STAGED_FILE_NAME = "the uploaded export";

/** When a staged export was written, or undefined when it is not there or is older than the staging period. */
export async function stagedWrittenAt(store: ObjectStore, ref: StagedRef, now: Date): Promise<Date | undefined> {
  const key = stagedKey(ref.cycleId, ref.group, ref.stagingId);
  const entry = (await store.listDated(key)).find((listed) => listed.key === key);
  return entry !== undefined && isStagedCurrent(entry.lastModified, now) ? entry.lastModified : undefined;
}

/** Reads a staged export exactly as `asye check` does (the kind's own check), storing nothing. */
export async function checkStaged(store: ObjectStore, cycle: AnyCycle, ref: StagedRef): Promise<StagedCheck> {
  const object = await store.getStream(stagedKey(ref.cycleId, ref.group, ref.stagingId));
  try {
    return { outcome: await cycle.type.checkExport(cycle.config, ref.group, object.body, STAGED_FILE_NAME, { sampleRows: 3 }) };
  } catch (error) {
    if (error instanceof FileRejectedError) return { unreadable: error.reason };
    throw error;
  }
}

/**
 * Makes a staged export the group's upload: copies it, inside S3, to `uploads/{cycle}/{group}/
 * console-{stagingId}.{csv|xlsx}`, whose ObjectCreated event queues it for ingest as any upload.
 * Pressing twice copies nothing more: the key is the staging id's, and it is there already (and
 * two copies racing make one key and content, which the ledger ingests once). Returns the key.
 */
export async function useStaged(store: ObjectStore, ref: StagedRef): Promise<string> {
  const from = stagedKey(ref.cycleId, ref.group, ref.stagingId);
  const to = uploadKeyOfStaged(ref.cycleId, ref.group, ref.stagingId, await firstBytes(store, from));
  if ((await store.list(to)).includes(to)) return to;
  await store.copy(from, to);
  return to;
}

/** The upload key a staged export was already copied to, if "Use this export" was pressed before. */
export async function usedAlready(store: ObjectStore, ref: StagedRef): Promise<string | undefined> {
  const stem = uploadKeyOfStaged(ref.cycleId, ref.group, ref.stagingId, new Uint8Array()).replace(/\.csv$/, ".");
  return (await store.list(stem))[0];
}

async function firstBytes(store: ObjectStore, key: string): Promise<Uint8Array> {
  const object = await store.getStream(key);
  for await (const chunk of object.body) return chunk;
  return new Uint8Array();
}
