import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { objectKey, type S3NotificationRecord } from "../events/s3EventSchema.ts";

/**
 * The record with its object's ETag. S3 puts the ETag in every ObjectCreated record, Copy
 * included; s3rver leaves it out of its ObjectCreated:Copy records (the console's "Use this
 * export" copies a staged file), so locally it is read back with HeadObject. Records that carry
 * one are returned as they are.
 */
export async function withETag(record: S3NotificationRecord, s3: S3Client): Promise<S3NotificationRecord> {
  if (record.s3.object.eTag !== undefined) return record;
  const head = await s3.send(new HeadObjectCommand({ Bucket: record.s3.bucket.name, Key: objectKey(record) }));
  return { ...record, s3: { ...record.s3, object: { ...record.s3.object, eTag: (head.ETag ?? "").replace(/^"|"$/g, "") } } };
}
