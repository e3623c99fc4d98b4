import type { S3Event } from "aws-lambda";
import { Resource } from "sst/resource";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { UploadBusyError } from "../lib/errors.ts";
import { s3EventSchema } from "../lib/events/s3EventSchema.ts";
import { type IngestOutcome, ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { uploadFromEvent } from "../lib/ingest/uploadFromEvent.ts";
import { createLogger } from "../lib/logging/createLogger.ts";

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());

/**
 * S3 ObjectCreated on `uploads/{cycleId}/{group}/…` → ingest each upload once.
 * Throws when another worker holds an upload's lease so that the delivery is retried.
 */
export async function handler(event: S3Event): Promise<IngestOutcome[]> {
  const notification = s3EventSchema.parse(event);
  const store = new S3ObjectStore(clients.s3, Resource.SurveyData.name);
  const ledger = new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name);
  const recipients = new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name);
  const outcomes: IngestOutcome[] = [];
  for (const record of notification.Records) {
    const etag = record.s3.object.eTag ?? "";
    const outcome = await ingestUpload(uploadFromEvent(record, etag), { store, ledger, recipients, log });
    if (outcome.status === "busy") throw new UploadBusyError(outcome.record.upload.key);
    outcomes.push(outcome);
  }
  return outcomes;
}
