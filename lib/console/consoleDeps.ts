import type { Authenticator } from "./authenticator.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import type { CycleReadDeps } from "./cycleListing.ts";

/** What the console needs from the outside world (the handler and the local server build it). */
export interface ConsoleDeps extends CycleReadDeps {
  authenticator: Authenticator;
  /** The key session cookies are signed with (ASYE_CONSOLE_SESSION_KEY in AWS; random per local runtime). */
  sessionKey: Uint8Array;
  /** Computes a cycle again as the compute function does (same dependencies); the recompute button shows only when given. */
  requestRecompute?: (cycleId: string) => Promise<void>;
  /** Recipients, sends and the reminders' pause (DynamoDB); the reminders pages answer 404 without it. */
  recipients?: RecipientStore;
}
