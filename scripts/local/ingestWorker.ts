/**
 * Runs the ingest function once in its own process, as a Lambda sandbox would. The SQS event
 * and the invocation's deadline come as one IPC message and the batch response goes back as
 * one: the IPC channel carries nothing else, so the function's log lines (stdout, at any
 * `POWERTOOLS_LOG_LEVEL`) can never be mistaken for the reply. The local queue uses it so
 * tests can kill a worker mid-ingest (SIGKILL) and watch the redelivery.
 */
import type { Context } from "aws-lambda";
import { handler } from "../../functions/ingest.ts";

/** What the local runtime sends a worker: one delivery and when its invocation times out. */
export interface IngestWorkerRequest {
  event: unknown;
  deadline: number;
}

if (process.send === undefined) throw new Error("the ingest worker is started by the local runtime, with an IPC channel");
const { event, deadline } = await new Promise<IngestWorkerRequest>((resolve) => process.once("message", (message) => resolve(message as IngestWorkerRequest)));
const context = {
  awsRequestId: `worker-${process.pid}`,
  functionName: "local-ingest-worker",
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
} as unknown as Context;
const reply = await handler(event, context);
// Disconnecting once the reply is sent lets the process end, as the stdout pipe's end did.
process.send(reply, () => process.disconnect());
