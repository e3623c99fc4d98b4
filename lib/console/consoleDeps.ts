import type { Authenticator } from "./authenticator.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import type { CycleReadDeps } from "./cycleListing.ts";
import type { UploadSigner } from "./uploads/uploadSigner.ts";

/** What the console needs from the outside world (the handler and the local server build it). */
export interface ConsoleDeps extends CycleReadDeps {
  authenticator: Authenticator;
  /** The key session cookies are signed with (ASYE_CONSOLE_SESSION_KEY in AWS; random per local runtime). */
  sessionKey: Uint8Array;
  /** Computes a cycle again as the compute function does (same dependencies); the recompute button shows only when given. */
  requestRecompute?: (cycleId: string) => Promise<void>;
  /** Recipients, sends and the reminders' pause (DynamoDB); the reminders pages answer 404 without it. */
  recipients?: RecipientStore;
  /** Signs the presigned POSTs of staged uploads; the upload controls show only when given. */
  uploadSigner?: UploadSigner;
  /**
   * The console's public origin ("https://console.example.org"), where S3 sends the browser back
   * after a staged upload. In AWS the console sits behind a Router (CloudFront), which does not
   * pass the visitor's Host on, so it must be given; locally the request's Host is the origin.
   */
  publicOrigin?: string;
}
