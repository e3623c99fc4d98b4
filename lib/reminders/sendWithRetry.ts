import { MailRejectedError, type Mailer, MailThrottledError, type OutgoingMail } from "../ports/mailer.ts";

/** How a send ended after retries. */
export type SendOutcome = { status: "sent" } | { status: "rejected"; reason: string } | { status: "failed"; reason: string };

/** Retry settings; `sleep` is injectable so tests do not wait. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Sends one message, retrying throttling and passing failures with exponential backoff and
 * jitter. A rejection of the address is final at once.
 */
export async function sendWithRetry(mailer: Mailer, mail: OutgoingMail, policy: RetryPolicy): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await mailer.send(mail);
      return { status: "sent" };
    } catch (error) {
      if (error instanceof MailRejectedError) return { status: "rejected", reason: error.message };
      if (attempt >= policy.maxAttempts) {
        return { status: "failed", reason: error instanceof Error ? error.message : String(error) };
      }
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (error instanceof MailThrottledError ? 2 : 1);
      await policy.sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}
