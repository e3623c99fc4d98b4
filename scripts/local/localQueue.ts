import { randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse } from "aws-lambda";

/** A Lambda function subscribed to a queue: one SQS event in, partial batch failures out. */
export type QueueConsumer = (event: { Records: { messageId: string; body: string }[] }, context: Context) => Promise<SQSBatchResponse>;

/** The queue's timing, as sst.config.ts sets it for AWS (scaled down for tests). */
export interface LocalQueueOptions {
  /** The subscribed function's timeout: its context's remaining time starts here. */
  functionTimeoutMs: number;
  /** How long a received message stays hidden; above the function timeout plus the lease margin. */
  visibilityTimeoutMs: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceives: number;
  /** Deliveries at once (the event source mapping's maximum concurrency); default unlimited. */
  maxConcurrency?: number;
  /** The subscribed function's name, in its context. */
  functionName?: string;
}

interface Message {
  messageId: string;
  body: string;
  receives: number;
}

/**
 * An SQS queue with a dead-letter queue, in process, with the semantics the ingest function
 * relies on: batch size 1, at-least-once delivery, a message that fails (reported as a batch
 * item failure, thrown, or its consumer crashed) comes back after the visibility timeout, and
 * after `maxReceives` receives it moves to the dead-letter queue.
 */
export class LocalQueue {
  readonly deadLetters: (Message & { lastError: string })[] = [];
  /** Every delivery so far and how it ended (undefined: the message was deleted). */
  readonly deliveries: { messageId: string; receive: number; failure?: string }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private waiting = 0;
  /** Messages received but waiting for a free consumer (over `maxConcurrency`). */
  private readonly backlog: Message[] = [];
  private running = 0;

  constructor(
    private readonly consume: QueueConsumer,
    private readonly options: LocalQueueOptions,
  ) {}

  /** Sends a message (S3 does this for each notification). */
  send(body: string): void {
    this.receive({ messageId: randomUUID(), body, receives: 0 });
  }

  /** True when no message is in flight or waiting to be delivered again. */
  get isEmpty(): boolean {
    return this.inFlight.size === 0 && this.waiting === 0 && this.backlog.length === 0;
  }

  /** Resolves once every message sent so far is deleted or dead-lettered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.waiting > 0 || this.backlog.length > 0) {
      if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private receive(message: Message): void {
    if (this.running >= (this.options.maxConcurrency ?? Number.POSITIVE_INFINITY)) {
      this.backlog.push(message);
      return;
    }
    this.running++;
    message.receives++;
    const delivery = this.deliver(message);
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.running--;
      const next = this.backlog.shift();
      if (next !== undefined) this.receive(next);
    });
  }

  private async deliver(message: Message): Promise<void> {
    const deadline = Date.now() + this.options.functionTimeoutMs;
    const context = {
      awsRequestId: randomUUID(),
      functionName: this.options.functionName ?? "local-ingest",
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    } as unknown as Context;
    let failure: string | undefined;
    try {
      const response = await this.consume({ Records: [{ messageId: message.messageId, body: message.body }] }, context);
      if (response.batchItemFailures.some((item) => item.itemIdentifier === message.messageId)) failure = "reported as a batch item failure";
    } catch (error) {
      failure = `the function failed or crashed: ${String(error)}`;
    }
    this.deliveries.push({ messageId: message.messageId, receive: message.receives, ...(failure === undefined ? {} : { failure }) });
    if (failure === undefined) return;
    if (message.receives >= this.options.maxReceives) {
      this.deadLetters.push({ ...message, lastError: failure });
      return;
    }
    // Hidden until the visibility timeout, counted from the receive.
    this.waiting++;
    const hidden = Math.max(0, deadline - this.options.functionTimeoutMs + this.options.visibilityTimeoutMs - Date.now());
    setTimeout(() => {
      this.waiting--;
      this.receive(message);
    }, hidden);
  }
}
