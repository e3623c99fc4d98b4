import { Resource } from "sst/resource";
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
const clients = createAwsClients(endpointsFromEnvironment());

/** The scheduler's event; `now` and `dryRun` may be given for a run by hand. */
const runSchema = z.object({ now: z.iso.datetime({ offset: true }).optional(), dryRun: z.boolean().optional() }).loose();

/**
 * Hourly (CronV2, Europe/London): sends whichever invitation or reminder is due for each open
 * cycle. Mail goes through SES, or to the S3 outbox when `ASYE_MAILER=outbox` (local runtime).
 */
export async function handler(event: unknown): Promise<RunSummary> {
  const input = runSchema.parse(event ?? {});
  const store = new S3ObjectStore(clients.s3, Resource.SurveyData.name);
  const mailer: Mailer =
    process.env.ASYE_MAILER === "outbox"
      ? new OutboxMailer(store)
      : new SesMailer(sesClientForSending(), Resource.Mail.sender, Resource.Mail.configSet);
  return runReminders({
    store,
    recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
    mailer,
    log,
    now: input.now ? new Date(input.now) : new Date(),
    dryRun: input.dryRun ?? false,
  });
}
