/** A queue of work messages (SQS in AWS): each message is handled by its own invocation. */
export interface WorkQueue {
  /** Sends every message (JSON text); resolves once the queue has accepted all of them. */
  sendAll(messages: readonly string[]): Promise<void>;
}
