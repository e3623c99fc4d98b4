import type { WorkQueue } from "../ports/workQueue.ts";

/** Queues of the local runtime by name: where an in-process send goes. */
const queues = new Map<string, (body: string) => void>();

/** Makes `name` deliver to `send` in this process (the local runtime's stand-in for an SQS queue). */
export function registerInProcessQueue(name: string, send: (body: string) => void): void {
  queues.set(name, send);
}

/** A queue of the local runtime, found by name when a message is sent. */
export class InProcessWorkQueue implements WorkQueue {
  constructor(private readonly name: string) {}

  async sendAll(messages: readonly string[]): Promise<void> {
    const send = queues.get(this.name);
    if (send === undefined) throw new Error(`no in-process queue "${this.name}" is registered (the local runtime registers its queues at start)`);
    for (const message of messages) send(message);
  }
}
