import type { EncodeDeps, UploadEncoding } from "../kinds/cycleKind.ts";
import type { UploadRef } from "../ports/ingestLedger.ts";
import { storageKeys } from "../storageKeys.ts";
import { encodeLegacyAggregates, LEGACY_AGGREGATES_SLOT } from "./encodeLegacyAggregates.ts";
import { encodeOutcomesExport } from "./encodeOutcomesExport.ts";
import { aggregateRecords } from "./outcomeRecords.ts";
import type { OutcomesConfig } from "./outcomesConfig.ts";

/**
 * Reads an outcomes upload. Records (personal data) are kept under `personal/records/…`, with
 * their counts under `aggregates/…`, which outlive them; earlier years' counts (the `aggregates`
 * place) go straight to `aggregates/…`. Both are small enough to be kept whole once accepted.
 */
export async function encodeOutcomesUpload(config: OutcomesConfig, upload: UploadRef, body: AsyncIterable<Uint8Array>, deps: EncodeDeps): Promise<UploadEncoding> {
  if (upload.group === LEGACY_AGGREGATES_SLOT) {
    const encoded = await encodeLegacyAggregates(body, config, upload.key);
    const normalizedKey = storageKeys.outcomeAggregates(upload.cycleId, upload.group, upload.etag);
    return {
      ...encoded,
      accepted: encoded.rows - encoded.rejections.rejectedRows,
      duplicates: 0,
      normalizedKey,
      keep: () => deps.store.put(normalizedKey, JSON.stringify(encoded.aggregates), "application/json"),
      abandon: async () => undefined,
    };
  }
  const encoded = await encodeOutcomesExport(body, config, upload.group, upload.key);
  const normalizedKey = storageKeys.outcomeRecords(upload.cycleId, upload.group, upload.etag);
  return {
    ...encoded,
    accepted: encoded.batch.records.length,
    normalizedKey,
    async keep() {
      await deps.store.put(normalizedKey, JSON.stringify(encoded.batch), "application/json");
      await deps.store.put(storageKeys.outcomeAggregates(upload.cycleId, upload.group, upload.etag), JSON.stringify(aggregateRecords(encoded.batch, config.serviceAreas && { variable: config.serviceAreas.variable, level: config.serviceAreas.analysed })), "application/json");
    },
    abandon: async () => undefined,
  };
}
