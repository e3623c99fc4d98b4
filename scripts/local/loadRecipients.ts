import { createReadStream } from "node:fs";
import type { RecipientStore } from "../../lib/ports/recipientStore.ts";
import { parseRecipientFile, type RecipientProblem } from "../../lib/reminders/parseRecipientFile.ts";

/** Reads a recipient file and stores its good rows; returns what was stored and what was not. */
export async function loadRecipients(
  recipients: RecipientStore,
  cycleId: string,
  group: string,
  path: string,
  now: Date,
): Promise<{ stored: number; merged: number; problems: RecipientProblem[] }> {
  const parsed = await parseRecipientFile(createReadStream(path), path, (token) => recipients.hashToken(token));
  await recipients.putRecipients(cycleId, group, parsed.recipients, now);
  return { stored: parsed.recipients.length, merged: parsed.merged, problems: parsed.problems };
}
