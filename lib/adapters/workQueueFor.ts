import { SQSClient } from "@aws-sdk/client-sqs";
import { InProcessWorkQueue } from "../local/inProcessQueues.ts";
import type { WorkQueue } from "../ports/workQueue.ts";
import { SqsWorkQueue } from "./sqsWorkQueue.ts";

/** The prefix of a queue "URL" that names a queue of the local runtime (`in-process:{name}`). */
export const IN_PROCESS_QUEUE = "in-process:";

let sqs: SQSClient | undefined;

/**
 * The queue behind a linked queue's URL: SQS in AWS; the local runtime links
 * `in-process:{name}` (there is no local SQS server), delivered by its in-process queue with
 * SQS's semantics (at least once, visibility timeout, dead letters).
 */
export function workQueueFor(url: string): WorkQueue {
  if (url.startsWith(IN_PROCESS_QUEUE)) return new InProcessWorkQueue(url.slice(IN_PROCESS_QUEUE.length));
  sqs ??= new SQSClient({});
  return new SqsWorkQueue(sqs, url);
}
