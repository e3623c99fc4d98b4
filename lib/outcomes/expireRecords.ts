import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { PERSONAL_PREFIX } from "../storageKeys.ts";

/**
 * Deletes a cycle's personal data (raw uploads and normalized records under `personal/`) written
 * more than `retentionYears` ago, every version of it. In AWS the bucket's lifecycle rule does the
 * same, but lifecycle runs when S3 gets to it (a day or more late): compute calls this first, so
 * no figure is ever computed from a record past its date. The aggregates are not personal data
 * and stay. Returns the keys deleted.
 */
export async function expireRecords(store: ObjectStore, cycleId: string, retentionYears: number, now: Date, log: Logger): Promise<string[]> {
  const cutOff = new Date(now);
  cutOff.setUTCFullYear(cutOff.getUTCFullYear() - retentionYears);
  const expired: string[] = [];
  for (const area of ["uploads", "records"]) {
    for (const object of await store.listDated(`${PERSONAL_PREFIX}${area}/${cycleId}/`)) {
      if (object.lastModified >= cutOff) continue;
      await store.deleteAllVersions(object.key);
      expired.push(object.key);
    }
  }
  if (expired.length > 0) log.info("personal data past its retention deleted", { cycleId, objects: expired.length, retentionYears });
  return expired;
}
