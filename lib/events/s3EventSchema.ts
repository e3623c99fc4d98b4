import { z } from "zod";

/** The parts of an S3 ObjectCreated notification the pipeline reads. */
export const s3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        eventTime: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({
            key: z.string().min(1),
            eTag: z.string().optional(),
            sequencer: z.string().optional(),
            size: z.number().optional(),
          }),
        }),
      }),
    )
    .min(1),
});

/** A validated S3 notification. */
export type S3Notification = z.infer<typeof s3EventSchema>;
/** One record of a validated S3 notification. */
export type S3NotificationRecord = S3Notification["Records"][number];

/** The object key of a record, decoded (S3 sends keys URL-encoded with '+' for spaces). */
export function objectKey(record: S3NotificationRecord): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
}
