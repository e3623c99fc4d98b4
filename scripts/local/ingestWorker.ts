/**
 * Runs the ingest function once in its own process, as a Lambda sandbox would: the SQS event
 * and the invocation's deadline come on stdin, the batch response goes to stdout. The local
 * queue uses it so tests can kill a worker mid-ingest (SIGKILL) and watch the redelivery.
 */
import type { Context } from "aws-lambda";
import { handler } from "../../functions/ingest.ts";

let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const { event, deadline } = JSON.parse(input) as { event: unknown; deadline: number };
const context = {
  awsRequestId: `worker-${process.pid}`,
  functionName: "local-ingest-worker",
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
} as unknown as Context;
process.stdout.write(JSON.stringify(await handler(event, context)));
