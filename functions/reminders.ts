import type { Context } from "aws-lambda";
import { Resource } from "sst/resource";
import { createMetrics, publishMetrics } from "../lib/logging/createMetrics.ts";
import { reminderMetrics } from "../lib/observability/metricsOf.ts";
import { z } from "zod";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { OutboxMailer } from "../lib/adapters/outboxMailer.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { SesMailer, sesClientForSending } from "../lib/adapters/sesMailer.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import type { Mailer } from "../lib/ports/mailer.ts";
import { type RunSummary, runReminders } from "../lib/reminders/runReminders.ts";

const log = createLogger();
const metrics = createMetrics();
const clients = createAwsClients(endpointsFromEnvironment());

/** The scheduler's event; `now` and `dryRun` may be given for a run by hand. */
const runSchema = z.object({ now: z.iso.datetime({ offset: true }).optional(), dryRun: z.boolean().optional() }).loose();

/**
 * Hourly (CronV2, Europe/London): sends whichever invitation or reminder is due for each open
 * cycle. Mail goes through SES, or to the S3 outbox when `ASYE_MAILER=outbox` (local runtime).
 */
export async function handler(event: unknown, context?: Context): Promise<RunSummary> {
  if (context) log.addContext(context);
  const input = runSchema.parse(event ?? {});
  const store = new S3ObjectStore(clients.s3, Resource.SurveyData.name);
  const mailer: Mailer =
    process.env.ASYE_MAILER === "outbox"
      ? new OutboxMailer(store)
      : new SesMailer(sesClientForSending(), required("ASYE_MAIL_SENDER"), process.env.ASYE_MAIL_CONFIGURATION_SET);
  const summary = await runReminders({
    store,
    recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
    mailer,
    log,
    now: input.now ? new Date(input.now) : new Date(),
    dryRun: input.dryRun ?? false,
  });
  // A stopped run (the sender or account cannot send) raises the ReminderRunStopped alarm.
  publishMetrics(metrics, reminderMetrics(summary));
  return summary;
}

/** A setting sst.config.ts gives the function; missing means a broken deployment, so fail at once. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the function is deployed without its mail settings`);
  return value;
}
