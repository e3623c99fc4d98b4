import type { Context, SQSBatchResponse } from "aws-lambda";
import { Resource } from "sst/resource";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { s3NotificationOf, sqsEventSchema } from "../lib/events/sqsEventSchema.ts";
import { type IngestOutcome, ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { createMetrics, publishMetrics } from "../lib/logging/createMetrics.ts";
import { ingestMetrics } from "../lib/observability/metricsOf.ts";
import { uploadFromEvent } from "../lib/ingest/uploadFromEvent.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import { UploadBusyError } from "../lib/errors.ts";

const log = createLogger();
const metrics = createMetrics();
const clients = createAwsClients(endpointsFromEnvironment());

/** How long a claim outlives the invocation that took it: enough to finish writing, no more. */
const LEASE_MARGIN_MS = Number(process.env.ASYE_LEASE_MARGIN_MS ?? 30_000);

/**
 * The upload queue (S3 ObjectCreated on `uploads/…` → SQS, batch size 1) → ingest each upload
 * once. A message whose upload is busy elsewhere or whose ingest failed is reported as a batch
 * item failure, so SQS delivers it again after the visibility timeout; a crash (timeout, out of
 * memory, a killed process) has the same effect. The claim's lease ends with this invocation
 * (its remaining time plus a margin), so the next delivery can take over. After the queue's
 * receive limit the message goes to the dead-letter queue, which raises an alarm.
 */
export async function handler(event: unknown, context: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  const messages = sqsEventSchema.parse(event).Records;
  const store = new S3ObjectStore(clients.s3, Resource.SurveyData.name, process.env.ASYE_PERSONAL_DATA_KEY);
  const ledger = new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name);
  const recipients = new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value);
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  const outcomes: IngestOutcome[] = [];
  for (const message of messages) {
    try {
      for (const record of s3NotificationOf(message.body)?.Records ?? []) {
        if (!record.eventName.startsWith("ObjectCreated")) continue;
        const upload = uploadFromEvent(record, record.s3.object.eTag ?? "");
        const leaseMs = context.getRemainingTimeInMillis() + LEASE_MARGIN_MS;
        const outcome = await ingestUpload(upload, { store, ledger, recipients, log, leaseMs });
        if (outcome.status === "busy") throw new UploadBusyError(upload.key);
        outcomes.push(outcome);
      }
    } catch (error) {
      log.error("upload message not processed; it will be delivered again", { messageId: message.messageId, error: String(error) });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  publishMetrics(metrics, ingestMetrics(outcomes, batchItemFailures.length));
  return { batchItemFailures };
}
