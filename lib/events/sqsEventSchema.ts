import { z } from "zod";
import { type S3Notification, s3EventSchema } from "./s3EventSchema.ts";

/** The parts of an SQS event (Lambda event source mapping) the ingest function reads. */
export const sqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })).min(1),
});

/** A validated SQS event. */
export type SqsEvent = z.infer<typeof sqsEventSchema>;

/** S3's message when a notification is first configured: nothing to do. */
const s3TestEventSchema = z.object({ Event: z.literal("s3:TestEvent") }).loose();

/**
 * The S3 notification an SQS message carries (S3 → queue), or undefined for S3's test event.
 * Throws (a ZodError or a SyntaxError) when the body is neither: the message is then retried
 * and ends in the dead-letter queue, where the alarm tells someone.
 */
export function s3NotificationOf(body: string): S3Notification | undefined {
  const json: unknown = JSON.parse(body);
  if (s3TestEventSchema.safeParse(json).success) return undefined;
  return s3EventSchema.parse(json);
}
