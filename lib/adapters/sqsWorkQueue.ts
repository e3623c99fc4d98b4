import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { WorkQueue } from "../ports/workQueue.ts";

/** SQS takes at most ten messages per batch call. */
const BATCH = 10;
/** Rounds of re-sending the entries SQS reports as failed before giving up. */
const ROUNDS = 5;

/**
 * An SQS queue. Messages go ten to a call; entries SQS reports as failed (throttled, or an
 * internal error) are sent again, and after five rounds the call fails naming how many are left,
 * so the caller's invocation fails and is retried rather than losing messages.
 */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async sendAll(messages: readonly string[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH) {
      let entries = messages.slice(start, start + BATCH).map((body, i) => ({ Id: String(start + i), MessageBody: body }));
      for (let round = 0; entries.length > 0; round++) {
        if (round === ROUNDS) throw new Error(`${entries.length} message(s) could not be sent to ${this.queueUrl} after ${ROUNDS} rounds`);
        const { Failed = [] } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set(Failed.map((entry) => entry.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
      }
    }
  }
}
