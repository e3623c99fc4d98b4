import { DynamoIngestLedger } from "../../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../../lib/adapters/dynamoRecipientStore.ts";
import type { RunSummary } from "../../lib/reminders/runReminders.ts";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SNSEvent } from "aws-lambda";
import { S3ObjectStore } from "../../lib/adapters/s3ObjectStore.ts";
import { objectKey, type S3Notification } from "../../lib/events/s3EventSchema.ts";
import { type LocalStack, startLocalStack } from "../../lib/local/localStack.ts";

/** The embedded default: local S3 and DynamoDB with the Lambda handlers wired to S3 events. */
export interface LocalRuntime {
  stack: LocalStack;
  store: S3ObjectStore;
  ledger: DynamoIngestLedger;
  recipients: DynamoRecipientStore;
  /** Invokes the hourly reminders function as the scheduler would, at `now` (mail goes to the S3 outbox). */
  runReminders(now: Date, dryRun?: boolean): Promise<RunSummary>;
  /** Calls the results API handler as API Gateway would (HTTP API, payload v2). */
  apiRequest(method: string, path: string, headers?: Record<string, string>): Promise<APIGatewayProxyStructuredResultV2>;
  /** The bearer token the local API expects (ASYE_API_TOKEN, or a fixed local one). */
  apiToken: string;
  /** Delivers an SES event (bounce or complaint) to its handler, as the SNS topic would. */
  deliverSesEvent(message: unknown): Promise<void>;
  /** Resolves once every event delivered so far, and every event those caused, is handled. */
  idle(): Promise<void>;
  /** Handler failures that exhausted their retries (as Lambda would send to a dead-letter queue). */
  failures: { key: string; error: unknown }[];
  stop(): Promise<void>;
}

type Handler = (event: S3Notification) => Promise<unknown>;

/**
 * Starts the local servers, points the handlers at them through the same links and endpoint
 * settings they read in AWS, and routes S3 notifications by prefix as sst.config.ts's
 * `bucket.notify` does: `uploads/` → ingest, `ingested/` → compute.
 */
export async function startLocalRuntime(options: {
  stateDir: string;
  inMemory?: boolean;
  /** Deliver S3 notifications to the handlers (default true); off for tests that call ingest directly. */
  routeEvents?: boolean;
}): Promise<LocalRuntime> {
  const stack = await startLocalStack(options);
  const apiToken = process.env.ASYE_API_TOKEN ?? "local-results-token";
  Object.assign(process.env, {
    SST_RESOURCE_App: JSON.stringify({ name: "asye-survey-analytics", stage: "local" }),
    SST_RESOURCE_SurveyData: JSON.stringify({ name: stack.bucket }),
    SST_RESOURCE_Ledger: JSON.stringify({ name: stack.ledgerTable }),
    ASYE_S3_ENDPOINT: stack.s3Endpoint,
    ASYE_DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ASYE_MAILER: "outbox",
    SST_RESOURCE_ResultsApiToken: JSON.stringify({ value: apiToken }),
  });
  const ingest = (await import("../../functions/ingest.ts")).handler as Handler;
  const compute = (await import("../../functions/compute.ts")).handler as Handler;
  const reminders = (await import("../../functions/reminders.ts")).handler;
  const sesEvents = (await import("../../functions/ses-events.ts")).handler;
  const resultsApi = (await import("../../functions/results-api.ts")).handler;
  const routes: { prefix: string; handler: Handler }[] = [
    { prefix: "uploads/", handler: ingest },
    { prefix: "ingested/", handler: compute },
  ];

  const pending = new Set<Promise<void>>();
  const failures: LocalRuntime["failures"] = [];
  stack.onS3Event((event) => {
    if (options.routeEvents === false) return;
    for (const record of event.Records) {
      if (!record.eventName.startsWith("ObjectCreated")) continue;
      const key = objectKey(record);
      const route = routes.find((r) => key.startsWith(r.prefix));
      if (!route) continue;
      const delivery = deliver(route.handler, { Records: [record] }).catch((error: unknown) => {
        failures.push({ key, error });
      });
      pending.add(delivery);
      delivery.finally(() => pending.delete(delivery));
    }
  });

  return {
    stack,
    store: new S3ObjectStore(stack.clients.s3, stack.bucket),
    ledger: new DynamoIngestLedger(stack.clients.dynamodb, stack.ledgerTable),
    recipients: new DynamoRecipientStore(stack.clients.dynamodb, stack.ledgerTable),
    runReminders: (now, dryRun = false) => reminders({ now: now.toISOString(), dryRun }),
    apiToken,
    apiRequest: (method, path, headers = {}) =>
      resultsApi({
        rawPath: path,
        headers,
        requestContext: { http: { method } },
      } as unknown as APIGatewayProxyEventV2),
    async deliverSesEvent(message) {
      await sesEvents({ Records: [{ Sns: { Message: JSON.stringify(message) } }] } as unknown as SNSEvent);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    failures,
    stop: () => stack.stop(),
  };
}

/** Invokes a handler the way Lambda invokes asynchronously: on failure, up to two retries. */
async function deliver(handler: Handler, event: S3Notification): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handler(event);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
