import type { Context, SQSBatchResponse } from "aws-lambda";
import { Resource } from "sst/resource";
import { z } from "zod";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoReportFanOut } from "../lib/adapters/dynamoReportFanOut.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { loadCycle } from "../lib/config/cycleStore.ts";
import { sqsEventSchema } from "../lib/events/sqsEventSchema.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import { printPdf } from "../lib/render/warmPdfPrinter.ts";

const log = createLogger();

/** What every queued report's message names: its cycle (the cycle's kind reads the rest). */
const queuedReportSchema = z.object({ cycleId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });
const clients = createAwsClients(endpointsFromEnvironment());

/** How long a claim on a report outlives the invocation that took it. */
const LEASE_MARGIN_MS = Number(process.env.ASYE_LEASE_MARGIN_MS ?? 30_000);

/**
 * The personalised-report queue (one message per report, sent by compute: for the 360 tool, one
 * per included organisation) → that report as HTML and PDF, rendered by the cycle's kind. Many
 * invocations render at once, each keeping one Chromium warm between messages. A failed message is reported as a batch item failure
 * and comes back; after the receive limit it goes to the dead-letter queue (an alarm). The
 * completion record makes a redelivered message render nothing twice, and the invocation that
 * completes the set publishes the version.
 */
export async function handler(event: unknown, context?: Context): Promise<SQSBatchResponse> {
  if (context) log.addContext(context);
  const store = new S3ObjectStore(clients.s3, Resource.SurveyData.name);
  const ledger = new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name);
  const fanOut = new DynamoReportFanOut(clients.dynamodb, Resource.Ledger.name);
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const message of sqsEventSchema.parse(event).Records) {
    try {
      const { cycleId } = queuedReportSchema.parse(JSON.parse(message.body));
      const cycle = await loadCycle(store, cycleId);
      if (!cycle.type.renderQueuedReport) throw new Error(`${cycleId} is a ${cycle.type.label}, which queues no reports`);
      // The claim outlives this invocation by a margin only, so a crashed render is taken over.
      const leaseMs = (context?.getRemainingTimeInMillis() ?? 60_000) + LEASE_MARGIN_MS;
      const deps = { store, ledger, fanOut, log, leaseMs, ...(process.env.ASYE_RENDER_PDF === "false" ? {} : { printPdf }) };
      await cycle.type.renderQueuedReport(message.body, cycle.config, deps);
    } catch (error) {
      log.error("personalised report not rendered; the message will be delivered again", { messageId: message.messageId, error: String(error) });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
