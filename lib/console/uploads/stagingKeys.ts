import { randomBytes } from "node:crypto";
import { z } from "zod";
import { storageKeys } from "../../storageKeys.ts";

/**
 * Where the console's staged exports wait to be checked: `staging/{cycleId}/{group}/{stagingId}`.
 * Nothing is triggered by a write here (bucket.notify watches `uploads/` and `ingested/` only), an
 * S3 lifecycle rule deletes staged files after a day, and the console refuses older ones itself.
 */
export const STAGING_PREFIX = "staging/";

/** The largest export the presigned POST lets through (S3 refuses larger with EntityTooLarge). */
export const STAGED_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** How long a presigned POST may be used, from the moment the upload page is shown. */
export const UPLOAD_FORM_SECONDS = 10 * 60;

/** How long a staged export can be checked and used (the lifecycle rule deletes it after a day too). */
export const STAGED_HOURS = 24;

/** A staging id: 16 random bytes, base64url (opaque: nothing about the file or the person is in it). */
export const stagingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** A cycle id and a place (group) as they may appear in a console address. */
export const placeSchema = z.string().max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);

/** A new staging id. */
export function newStagingId(): string {
  return randomBytes(16).toString("base64url");
}

/** The S3 key of one staged export (no file name: a person's file name may say who they are). */
export function stagedKey(cycleId: string, group: string, stagingId: string): string {
  return `${STAGING_PREFIX}${cycleId}/${group}/${stagingId}`;
}

/**
 * The group's upload key a staged export is copied to on "Use this export": named by its staging
 * id (so pressing twice names the same key) with the extension its first bytes show.
 */
export function uploadKeyOfStaged(cycleId: string, group: string, stagingId: string, head: Uint8Array): string {
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const xlsx = head[0] === 0x50 && head[1] === 0x4b;
  return storageKeys.upload(cycleId, group, `console-${stagingId}${xlsx ? ".xlsx" : gzip ? ".csv.gz" : ".csv"}`);
}

/** Whether a staged export written at `written` may still be used at `now`. */
export function isStagedCurrent(written: Date, now: Date): boolean {
  return now.getTime() - written.getTime() < STAGED_HOURS * 60 * 60 * 1000;
}
