import type { Context } from "aws-lambda";
import { Resource } from "sst/resource";
import { z } from "zod";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { DynamoReportFanOut } from "../lib/adapters/dynamoReportFanOut.ts";
import { workQueueFor } from "../lib/adapters/workQueueFor.ts";
import { computeCycle } from "../lib/compute/computeCycle.ts";
import { objectKey, s3EventSchema } from "../lib/events/s3EventSchema.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import { renderWithChromium } from "../lib/render/renderWithChromium.ts";
import { printPdf } from "../lib/render/warmPdfPrinter.ts";
import { parseReceiptKey } from "../lib/storageKeys.ts";

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());

/** An on-demand run: `{ "cycleId": "asye-cf-2025" }`. */
const onDemandSchema = z.object({ cycleId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });

/**
 * Recomputes a cycle's results: on an ingest receipt (`ingested/{cycleId}/…`, S3 event) or on
 * demand with `{ cycleId }`, whatever its kind. Returns the results key of each cycle computed.
 * A kind may queue work here (the 360 tool's personalised reports go to the OrganisationReports
 * queue, and its version is published when the last is rendered).
 */
export async function handler(
  event: unknown,
  context?: Context,
): Promise<{ cycleId: string; key: string; status: string; published: boolean }[]> {
  if (context) log.addContext(context);
  const cycleIds = cyclesOf(event);
  // The PDF needs Chromium (installed beside the bundle in AWS); the local runtime may turn it off.
  const rendering = process.env.ASYE_RENDER_PDF !== "false";
  const deps = {
    store: new S3ObjectStore(clients.s3, Resource.SurveyData.name),
    ledger: new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name),
    recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
    fanOut: new DynamoReportFanOut(clients.dynamodb, Resource.Ledger.name),
    reportQueue: workQueueFor(Resource.OrganisationReports.url),
    log,
    ...(rendering ? { render: renderWithChromium, printPdf } : {}),
  };
  const done = [];
  for (const cycleId of cycleIds) {
    const { key, status, published } = await computeCycle(cycleId, deps);
    done.push({ cycleId, key, status, published });
  }
  return done;
}

function cyclesOf(event: unknown): string[] {
  const onDemand = onDemandSchema.safeParse(event);
  if (onDemand.success) return [onDemand.data.cycleId];
  const notification = s3EventSchema.parse(event);
  const ids = notification.Records.map(
    (record) => parseReceiptKey(objectKey(record))?.cycleId,
  ).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
