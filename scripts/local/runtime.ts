import { DynamoIngestLedger } from "../../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../../lib/adapters/dynamoRecipientStore.ts";
import type { RunSummary } from "../../lib/reminders/runReminders.ts";
import { type ChildProcess, spawn } from "node:child_process";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SNSEvent, SQSBatchResponse } from "aws-lambda";
import { S3ObjectStore } from "../../lib/adapters/s3ObjectStore.ts";
import { objectKey, type S3Notification } from "../../lib/events/s3EventSchema.ts";
import { attachLocalStack, type LocalStack, type LocalStackAddress, startLocalStack } from "../../lib/local/localStack.ts";
import { LOCAL_HASH_KEY } from "../../lib/reminders/recipientHash.ts";
import { IN_PROCESS_QUEUE } from "../../lib/adapters/workQueueFor.ts";
import { registerInProcessQueue } from "../../lib/local/inProcessQueues.ts";
import { closePdfPrinter } from "../../lib/render/warmPdfPrinter.ts";
import type { IngestWorkerRequest } from "./ingestWorker.ts";
import { LocalQueue, type LocalQueueOptions, type QueueConsumer } from "./localQueue.ts";
import { withETag } from "../../lib/local/copyEventETag.ts";

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
  /** The bearer token the local API expects for reading (ASYE_API_TOKEN, or a fixed local one). */
  apiToken: string;
  /** The token that may re-run ingestion (ASYE_INGEST_TOKEN, or a fixed local one). */
  ingestToken: string;
  /** Delivers an SES event (bounce or complaint) to its handler, as the SNS topic would. */
  deliverSesEvent(message: unknown): Promise<void>;
  /** Resolves once every event delivered so far, and every event those caused, is handled. */
  idle(): Promise<void>;
  /** Handler failures that exhausted their retries, and upload messages in the dead-letter queue. */
  readonly failures: { key: string; error: unknown }[];
  /** The upload queue (S3 → SQS → ingest), with its dead-letter queue. */
  uploadQueue: LocalQueue;
  /** The personalised-report queue of 360 cycles (compute → SQS → organisation-reports). */
  reportQueue: LocalQueue;
  /** Turns the routing of S3 notifications to the handlers on or off (off while serving other processes, which ingest themselves). */
  routeEvents(on: EventRouting): void;
  /** Turns printing to PDF (and figures to PNG) on or off for the computes and reports that follow. */
  renderPdf(on: boolean): void;
  stop(): Promise<void>;
}

type Handler = (event: S3Notification) => Promise<unknown>;

/** Which S3 notifications the runtime delivers: all, none, only uploads (to ingest), or those whose key passes a test. */
export type EventRouting = boolean | "uploads" | ((key: string) => boolean);

/**
 * Starts the local servers, points the handlers at them through the same links and endpoint
 * settings they read in AWS, and routes S3 notifications by prefix as sst.config.ts's
 * `bucket.notify` does: `uploads/` → ingest, `ingested/` → compute.
 */
export async function startLocalRuntime(options: {
  stateDir: string;
  inMemory?: boolean;
  /**
   * Deliver S3 notifications to the handlers (default true); off for tests that call ingest
   * directly; `"uploads"` ingests uploads and leaves computing to the caller (no receipt is routed).
   */
  routeEvents?: EventRouting;
  /** The upload queue's timing (defaults: function timeout 20 s, visibility 22 s after the lease margin, 5 receives). */
  queue?: Partial<LocalQueueOptions>;
  /** How long an ingest claim outlives its invocation (the function's ASYE_LEASE_MARGIN_MS; default 1 s locally). */
  leaseMarginMs?: number;
  /** Print each report to PDF in compute, as in AWS (default off: a Chromium launch per compute). */
  renderPdf?: boolean;
  /** The personalised-report queue's timing and concurrency (default: 2 at once, 5 receives). */
  reportQueue?: Partial<LocalQueueOptions>;
  /** Use the servers another process runs (`asye serve`) instead of starting them. */
  attach?: LocalStackAddress;
  /** Run each ingest delivery in a child process, handed to this callback (tests kill it). */
  ingestWorker?: (worker: ChildProcess) => void;
  /** Use this running DynamoDB (Local) with a ledger table of this runtime's own, instead of starting one (tests share one). */
  dynamodbEndpoint?: string;
  ledgerTable?: string;
}): Promise<LocalRuntime> {
  const stack = options.attach ? attachLocalStack(options.attach) : await startLocalStack(options);
  const apiToken = process.env.ASYE_API_TOKEN ?? "local-results-token";
  const hashKey = process.env.ASYE_HASH_KEY ?? LOCAL_HASH_KEY;
  const ingestToken = process.env.ASYE_INGEST_TOKEN ?? "local-ingest-token";
  Object.assign(process.env, {
    SST_RESOURCE_App: JSON.stringify({ name: "asye-survey-analytics", stage: "local" }),
    SST_RESOURCE_SurveyData: JSON.stringify({ name: stack.bucket }),
    SST_RESOURCE_Ledger: JSON.stringify({ name: stack.ledgerTable }),
    ASYE_S3_ENDPOINT: stack.s3Endpoint,
    ASYE_DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ASYE_MAILER: "outbox",
    SST_RESOURCE_ResultsApiToken: JSON.stringify({ value: apiToken }),
    SST_RESOURCE_RecipientHashKey: JSON.stringify({ value: hashKey }),
    SST_RESOURCE_IngestApiToken: JSON.stringify({ value: ingestToken }),
    ASYE_LEASE_MARGIN_MS: String(options.leaseMarginMs ?? 1_000),
    ASYE_RENDER_PDF: String(options.renderPdf ?? false),
    // No SQS server runs locally: compute's messages go to the in-process queue below.
    SST_RESOURCE_OrganisationReports: JSON.stringify({ url: `${IN_PROCESS_QUEUE}OrganisationReports` }),
    // No CloudWatch here: the embedded metric lines would only clutter the terminal.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
  });
  const ingest = (await import("../../functions/ingest.ts")).handler as QueueConsumer;
  const compute = (await import("../../functions/compute.ts")).handler as Handler;
  const reminders = (await import("../../functions/reminders.ts")).handler;
  const sesEvents = (await import("../../functions/ses-events.ts")).handler;
  const resultsApi = (await import("../../functions/results-api.ts")).handler;
  const organisationReports = (await import("../../functions/organisation-reports.ts")).handler as QueueConsumer;
  // Uploads go through a queue with a dead-letter queue, as in AWS; receipts invoke compute directly.
  const functionTimeoutMs = options.queue?.functionTimeoutMs ?? 20_000;
  const uploadQueue = new LocalQueue(options.ingestWorker ? workerConsumer(options.ingestWorker) : ingest, {
    functionTimeoutMs,
    visibilityTimeoutMs: options.queue?.visibilityTimeoutMs ?? functionTimeoutMs + (options.leaseMarginMs ?? 1_000) + 1_000,
    maxReceives: options.queue?.maxReceives ?? 5,
  });

  // One message per organisation, rendered two at a time here (Lambda runs many at once).
  const reportQueue = new LocalQueue(organisationReports, {
    functionTimeoutMs: 120_000,
    visibilityTimeoutMs: 125_000,
    maxReceives: 5,
    maxConcurrency: 2,
    functionName: "local-organisation-reports",
    ...options.reportQueue,
  });
  registerInProcessQueue("OrganisationReports", (body) => reportQueue.send(body));

  const pending = new Set<Promise<void>>();
  const failures: LocalRuntime["failures"] = [];
  let routing: EventRouting = options.routeEvents ?? true;
  stack.onS3Event((event) => {
    if (routing === false) return;
    for (const record of event.Records) {
      if (!record.eventName.startsWith("ObjectCreated")) continue;
      const key = objectKey(record);
      if (typeof routing === "function" && !routing(key)) continue;
      if (key.startsWith("uploads/") || key.startsWith("personal/uploads/")) {
        // s3rver's Copy records lack the ETag S3 gives them: read it back before queueing (idle() waits).
        const queued = withETag(record, stack.clients.s3)
          .then((complete) => uploadQueue.send(JSON.stringify({ Records: [complete] })))
          .catch((error: unknown) => void failures.push({ key, error }));
        pending.add(queued);
        queued.finally(() => pending.delete(queued));
        continue;
      }
      if (!key.startsWith("ingested/") || routing === "uploads") continue;
      const delivery = deliver(compute, { Records: [record] }).catch((error: unknown) => {
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
    recipients: new DynamoRecipientStore(stack.clients.dynamodb, stack.ledgerTable, hashKey),
    runReminders: (now, dryRun = false) => reminders({ now: now.toISOString(), dryRun }),
    apiToken,
    ingestToken,
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
      while (pending.size > 0 || !uploadQueue.isEmpty || !reportQueue.isEmpty) {
        await uploadQueue.idle();
        await Promise.all([...pending]);
        await reportQueue.idle();
      }
    },
    get failures() {
      return [...failures, ...[...uploadQueue.deadLetters, ...reportQueue.deadLetters].map((message) => ({ key: message.body, error: message.lastError }))];
    },
    uploadQueue,
    reportQueue,
    routeEvents(on) {
      routing = on;
    },
    renderPdf(on) {
      // The handlers read it at each invocation, as they read their environment in Lambda.
      process.env.ASYE_RENDER_PDF = String(on);
    },
    async stop() {
      await closePdfPrinter();
      await stack.stop();
    },
  };
}

/**
 * Consumes queue messages in child processes (scripts/local/ingestWorker.ts), one per delivery.
 * The delivery and the batch response travel on the worker's IPC channel; its stdout holds only
 * its logs, passed on to this process's stdout as an in-process ingest's would be.
 */
function workerConsumer(onWorker: (worker: ChildProcess) => void): QueueConsumer {
  return (event, context) =>
    new Promise((resolve, reject) => {
      const worker = spawn(process.execPath, ["--import", "tsx", "scripts/local/ingestWorker.ts"], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
      worker.stdout!.pipe(process.stdout, { end: false });
      let reply: SQSBatchResponse | undefined;
      worker.on("message", (message) => {
        reply = message as SQSBatchResponse;
      });
      worker.on("error", reject);
      // "close" comes after the exit and the IPC channel's end, so after any reply.
      worker.on("close", (code, signal) => {
        if (code === 0 && reply !== undefined) resolve(reply);
        else reject(new Error(`ingest worker ${worker.pid} ended with ${signal ?? `exit code ${code}`}${code === 0 ? " and no reply" : ""}`));
      });
      const request: IngestWorkerRequest = { event, deadline: Date.now() + context.getRemainingTimeInMillis() };
      worker.send(request);
      onWorker(worker);
    });
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
