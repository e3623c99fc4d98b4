import type { Context, SNSEvent } from "aws-lambda";
import { Resource } from "sst/resource";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { sesEventSchema, snsEventSchema, undeliverableKind } from "../lib/events/sesEventSchema.ts";
import { createLogger } from "../lib/logging/createLogger.ts";

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());

/** SES bounce and complaint events (through SNS): marks the recipient so no more mail goes to them. */
export async function handler(event: SNSEvent, context?: Context): Promise<{ marked: number }> {
  if (context) log.addContext(context);
  const recipients = new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value);
  let marked = 0;
  for (const record of snsEventSchema.parse(event).Records) {
    const parsed = sesEventSchema.safeParse(JSON.parse(record.Sns.Message));
    if (!parsed.success) {
      log.warn("ignoring an SES event without the pipeline's tags");
      continue;
    }
    const kind = undeliverableKind(parsed.data);
    if (!kind) continue;
    const { cycle, group, recipient } = parsed.data.mail.tags;
    await recipients.markUndeliverable(cycle[0]!, group[0]!, recipient[0]!, kind, new Date());
    log.info("recipient marked undeliverable", { cycle: cycle[0], group: group[0], recipient: recipient[0], kind });
    marked++;
  }
  return { marked };
}
