import { objectKey, type S3NotificationRecord } from "../events/s3EventSchema.ts";
import type { UploadRef } from "../ports/ingestLedger.ts";
import { parseUploadKey } from "../storageKeys.ts";

/** Marks the cycle and group of an upload whose key is not `uploads/{cycleId}/{group}/{file}`. */
export const UNPLACED = "_unplaced";

/**
 * The upload an S3 ObjectCreated record announces. A key outside the expected layout still
 * yields a reference (cycle and group {@link UNPLACED}) so ingest can record its rejection.
 */
export function uploadFromEvent(record: S3NotificationRecord, etag: string): UploadRef {
  const key = objectKey(record);
  const place = parseUploadKey(key);
  return {
    key,
    etag: etag.replace(/^"|"$/g, ""),
    cycleId: place?.cycleId ?? UNPLACED,
    group: place?.group ?? UNPLACED,
    uploadedAt: new Date(record.eventTime).toISOString(),
    sequencer: (record.s3.object.sequencer ?? "").padStart(20, "0"),
  };
}
