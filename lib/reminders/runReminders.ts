import type { CycleConfig } from "../config/cycleConfig.ts";
import { listCycleConfigs } from "../config/cycleStore.ts";
import type { Logger } from "../ports/logger.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import type { RecipientRecord, RecipientStore } from "../ports/recipientStore.ts";
import { renderMessage } from "./renderMessage.ts";
import { DEFAULT_RETRY, type RetryPolicy, sendWithRetry } from "./sendWithRetry.ts";
import { dueMessage, type ScheduledMessage } from "./surveySchedule.ts";

/** Why a recipient got nothing in a run. */
export type SkipReason =
  | "responded"
  | "bounced"
  | "complained"
  | "optedOut"
  | "failedBefore"
  | "maxReminders"
  | "alreadySent"
  | "invitedSinceThisReminder";

/** What one run did for one group of one cycle. */
export interface GroupRunSummary {
  group: string;
  sent: number;
  /** In a dry run: the recipient hashes that would get the message. */
  wouldSend: string[];
  skipped: Record<SkipReason, number>;
  failed: number;
}

/** What one run did (written to the log and to S3). */
export interface RunSummary {
  ranAt: string;
  dryRun: boolean;
  cycles: { cycleId: string; due: string | null; kind: ScheduledMessage["kind"] | null; groups: GroupRunSummary[] }[];
}

/** What a reminder run needs from the outside world. */
export interface ReminderDeps {
  store: ObjectStore;
  recipients: RecipientStore;
  mailer: Mailer;
  log: Logger;
  now: Date;
  dryRun?: boolean;
  retry?: RetryPolicy;
}

/**
 * The scheduled run: for every stored cycle with a message due now, sends it to each eligible
 * recipient once. Invitations go to everyone not yet invited; reminders to those invited who
 * have not responded, bounced, complained, opted out or failed, and are under the maximum. A
 * conditional claim per (cycle, message, recipient) comes before every send, so overlapping
 * or repeated runs never send twice and a crashed run's successor carries on with the rest.
 */
export async function runReminders(deps: ReminderDeps): Promise<RunSummary> {
  const summary: RunSummary = { ranAt: deps.now.toISOString(), dryRun: deps.dryRun ?? false, cycles: [] };
  for (const config of await storedCycles(deps)) {
    const due = dueMessage(config, deps.now);
    const entry: RunSummary["cycles"][number] = { cycleId: config.id, due: due?.id ?? null, kind: due?.kind ?? null, groups: [] };
    summary.cycles.push(entry);
    if (!due) continue;
    for (const group of config.groups) {
      entry.groups.push(await runGroup(config, group.id, due, deps));
    }
  }
  deps.log.info("reminder run", { summary: { ...summary, cycles: summary.cycles.map(withoutHashes) } });
  if (!summary.dryRun) {
    await deps.store.put(`reminders/runs/${summary.ranAt}.json`, `${JSON.stringify(summary, null, 2)}\n`, "application/json");
  }
  return summary;
}

async function runGroup(
  config: CycleConfig,
  group: string,
  due: ScheduledMessage,
  deps: ReminderDeps,
): Promise<GroupRunSummary> {
  const result: GroupRunSummary = {
    group,
    sent: 0,
    wouldSend: [],
    skipped: {
      responded: 0,
      bounced: 0,
      complained: 0,
      optedOut: 0,
      failedBefore: 0,
      maxReminders: 0,
      alreadySent: 0,
      invitedSinceThisReminder: 0,
    },
    failed: 0,
  };
  for (const recipient of await deps.recipients.recipients(config.id, group)) {
    const decision = decide(config, due, recipient);
    if ("skip" in decision) {
      result.skipped[decision.skip]++;
      continue;
    }
    if (deps.dryRun) {
      result.wouldSend.push(recipient.hash);
      continue;
    }
    const send = { cycleId: config.id, messageId: decision.message, group, hash: recipient.hash };
    if (!(await deps.recipients.claimSend(send, deps.now))) {
      result.skipped.alreadySent++;
      continue;
    }
    const content = renderMessage(config, decision.kind, group, recipient.name);
    const outcome = await sendWithRetry(
      deps.mailer,
      { to: recipient.email, ...content, tags: { cycle: config.id, message: decision.message, group, recipient: recipient.hash } },
      deps.retry ?? DEFAULT_RETRY,
    );
    if (outcome.status === "sent") {
      await deps.recipients.recordSent(send, decision.kind, deps.now);
      result.sent++;
    } else if (outcome.status === "rejected") {
      await deps.recipients.recordFailure(send, outcome.reason, deps.now);
      deps.log.warn("address rejected; it will be skipped", { recipient: recipient.hash, reason: outcome.reason });
      result.failed++;
    } else {
      await deps.recipients.releaseSend(send);
      deps.log.warn("send failed; a later run will try again", { recipient: recipient.hash, reason: outcome.reason });
      result.failed++;
    }
  }
  return result;
}

/** Which message a recipient gets now, or why none. One message per recipient per run. */
function decide(
  config: CycleConfig,
  due: ScheduledMessage,
  recipient: RecipientRecord,
): { message: string; kind: "invitation" | "reminder" } | { skip: SkipReason } {
  if (recipient.respondedAt) return { skip: "responded" };
  if (recipient.bouncedAt) return { skip: "bounced" };
  if (recipient.complainedAt) return { skip: "complained" };
  if (recipient.optedOut || recipient.optedOutAt) return { skip: "optedOut" };
  if (recipient.failedAt) return { skip: "failedBefore" };
  // Not invited yet (a missed invitation run, or added to the list later): the invitation.
  if (!recipient.invitedAt) return { message: "invitation", kind: "invitation" };
  if (due.kind === "invitation") return { skip: "alreadySent" };
  // Someone invited late waits for the next reminder rather than getting this one straight away.
  if (recipient.invitedAt >= due.sendAt.toISOString()) return { skip: "invitedSinceThisReminder" };
  const max = config.schedule.maxReminders;
  if (max !== undefined && recipient.remindersSent >= max) return { skip: "maxReminders" };
  return { message: due.id, kind: "reminder" };
}

async function storedCycles(deps: ReminderDeps): Promise<CycleConfig[]> {
  const { configs, invalid } = await listCycleConfigs(deps.store);
  for (const entry of invalid) deps.log.error("skipping a cycle whose configuration is invalid", entry);
  return configs;
}

function withoutHashes(cycle: RunSummary["cycles"][number]) {
  return { ...cycle, groups: cycle.groups.map(({ wouldSend, ...group }) => ({ ...group, wouldSend: wouldSend.length })) };
}
