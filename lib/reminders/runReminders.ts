import type { CycleConfig } from "../survey/config/cycleConfig.ts";
import { listSurveyCycles } from "../survey/config/surveyCycleStore.ts";
import type { Logger } from "../ports/logger.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import type { RecipientRecord, RecipientStore, SendKey } from "../ports/recipientStore.ts";
import { renderMessage } from "./renderMessage.ts";
import { MailAccountError, MailThrottledError, MailUncertainError, RecipientRejectedError } from "../ports/mailer.ts";
import { redactEmails } from "../privacy/redactEmails.ts";
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
  /** Not sent: a refused address (marked, skipped from now on), or throttling (tried again next run). */
  failed: number;
  /** Perhaps sent (no answer came back): counted as sent, never repeated. */
  unconfirmed: number;
  /** Claims a dead run left behind, settled as sent-unconfirmed. */
  reconciled: number;
}

/** What one run did (written to the log and to S3). */
export interface RunSummary {
  ranAt: string;
  dryRun: boolean;
  /** Set when the sender or account could not send: the run stopped and no recipient was marked. */
  stopped?: { cycleId: string; group: string; reason: string };
  /** `paused`: the survey team paused the cycle's reminders in the console, so nothing was sent for it. */
  cycles: { cycleId: string; due: string | null; kind: ScheduledMessage["kind"] | null; paused?: true; groups: GroupRunSummary[] }[];
}

/** What a reminder run needs from the outside world. */
export interface ReminderDeps {
  store: ObjectStore;
  recipients: RecipientStore;
  mailer: Mailer;
  log: Logger;
  now: Date;
  dryRun?: boolean;
}

/** A claim older than this with no outcome belongs to a run that died (runs last at most 15 minutes). */
const ORPHAN_AGE_MS = 20 * 60 * 1000;

/** The sender or the account cannot send: stop the whole run. */
class RunStopped extends Error {
  constructor(
    readonly group: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * The scheduled run: for every stored cycle with a message due now, sends it to each eligible
 * recipient once. Invitations go to everyone not yet invited; reminders to those invited who
 * have not responded, bounced, complained, opted out or failed, and are under the maximum. A
 * conditional claim per (cycle, message, recipient) comes before every send, so overlapping
 * or repeated runs never send twice and a crashed run's successor carries on with the rest.
 * A cycle the survey team has paused gets nothing until it is resumed (then the message due
 * at that time goes out, as after a missed run); the pause is read before each group, so one
 * pressed during a run stops the groups not yet reached.
 */
export async function runReminders(deps: ReminderDeps): Promise<RunSummary> {
  const summary: RunSummary = { ranAt: deps.now.toISOString(), dryRun: deps.dryRun ?? false, cycles: [] };
  for (const config of await storedCycles(deps)) {
    const due = dueMessage(config, deps.now);
    const entry: RunSummary["cycles"][number] = { cycleId: config.id, due: due?.id ?? null, kind: due?.kind ?? null, groups: [] };
    summary.cycles.push(entry);
    if (!due) continue;
    try {
      for (const group of config.groups) {
        // Read before each group, so a pause pressed during a run stops the groups not yet sent to.
        if ((await deps.recipients.remindersPausedAt(config.id)) !== undefined) {
          entry.paused = true;
          break;
        }
        entry.groups.push(await runGroup(config, group.id, due, deps));
      }
    } catch (error) {
      if (!(error instanceof RunStopped)) throw error;
      summary.stopped = { cycleId: config.id, group: error.group, reason: error.reason };
      deps.log.error("reminder run stopped: the sender or account cannot send; no recipient was marked", summary.stopped);
      break;
    }
  }
  deps.log.info("reminder run", { summary: { ...summary, cycles: summary.cycles.map(withoutHashes) } });
  if (!summary.dryRun) {
    await deps.store.put(`reminders/runs/${summary.ranAt}.json`, `${JSON.stringify(summary, null, 2)}\n`, "application/json");
  }
  return summary;
}

/**
 * One group's run: settles a dead run's claims, then goes through the group's recipients,
 * counting each skip and, for each one due a message, claiming the send and then sending.
 */
async function runGroup(
  config: CycleConfig,
  group: string,
  due: ScheduledMessage,
  deps: ReminderDeps,
): Promise<GroupRunSummary> {
  const result = emptyGroupSummary(group);
  if (!deps.dryRun) result.reconciled = await reconcileOrphans(config, group, due, deps);
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
    const send: SendKey = { cycleId: config.id, messageId: decision.message, group, hash: recipient.hash };
    if (!(await deps.recipients.claimSend(send, deps.now))) {
      result.skipped.alreadySent++;
      continue;
    }
    result[await sendClaimed(config, send, decision.kind, recipient, deps)]++;
  }
  return result;
}

/** A group's summary before anything is done: every count at zero. */
function emptyGroupSummary(group: string): GroupRunSummary {
  return {
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
    unconfirmed: 0,
    reconciled: 0,
  };
}

/** How one claimed send ended, named as the summary counts it. */
type SendOutcome = "sent" | "unconfirmed" | "failed";

/** Mails one recipient whose send is claimed, and records what happened to it. */
async function sendClaimed(
  config: CycleConfig,
  send: SendKey,
  kind: "invitation" | "reminder",
  recipient: RecipientRecord,
  deps: ReminderDeps,
): Promise<SendOutcome> {
  const content = renderMessage(config, kind, send.group, recipient.name);
  try {
    await deps.mailer.send({ to: recipient.email, ...content, tags: { cycle: config.id, message: send.messageId, group: send.group, recipient: recipient.hash } });
  } catch (error) {
    return recordSendError(error, send, kind, deps);
  }
  // Outside the catch: if recording fails now, the claim stays and the next run settles it.
  await deps.recipients.recordSent(send, kind, deps.now);
  return "sent";
}

/**
 * Records a send the mailer did not confirm: a perhaps-sent message counts as sent, a refused
 * address is marked, and a throttled send gives its claim back for a later run. When the
 * sender or account cannot send, the claim is given back and the whole run stops.
 */
async function recordSendError(error: unknown, send: SendKey, kind: "invitation" | "reminder", deps: ReminderDeps): Promise<SendOutcome> {
  const reason = redactEmails(error instanceof Error ? error.message : String(error));
  if (error instanceof MailUncertainError) {
    // It may have gone: never sent again, and counted as invited (Table 6, later reminders).
    await deps.recipients.recordSent(send, kind, deps.now, true);
    deps.log.warn("send outcome unknown; counted as sent and not repeated", { recipient: send.hash, reason });
    return "unconfirmed";
  }
  if (error instanceof RecipientRejectedError) {
    await deps.recipients.recordFailure(send, reason, deps.now);
    deps.log.warn("address refused; it will be skipped", { recipient: send.hash, reason });
    return "failed";
  }
  // Not sent: the claim is given back so a later run sends it.
  await deps.recipients.releaseSend(send);
  if (error instanceof MailAccountError) throw new RunStopped(send.group, reason);
  if (!(error instanceof MailThrottledError)) throw error;
  deps.log.warn("send throttled; a later run will send it", { recipient: send.hash, reason });
  return "failed";
}

/**
 * Settles the claims a dead run left (it claimed, then died before recording the outcome, so the
 * message may have gone): as sent-unconfirmed, so the recipient counts as invited and is not mailed twice.
 */
async function reconcileOrphans(config: CycleConfig, group: string, due: ScheduledMessage, deps: ReminderDeps): Promise<number> {
  let settled = 0;
  const before = new Date(deps.now.getTime() - ORPHAN_AGE_MS);
  for (const messageId of new Set(["invitation", due.id])) {
    for (const send of await deps.recipients.staleClaims(config.id, messageId, before)) {
      if (send.group !== group) continue;
      await deps.recipients.recordSent(send, messageId === "invitation" ? "invitation" : "reminder", deps.now, true);
      deps.log.warn("a dead run's send settled as sent-unconfirmed", { recipient: send.hash, message: messageId });
      settled++;
    }
  }
  return settled;
}

/** Which message a recipient gets now, or why none. One message per recipient per run (the console's preview asks it too). */
export function decide(
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
  const { configs, invalid } = await listSurveyCycles(deps.store);
  for (const entry of invalid) deps.log.error("skipping a cycle whose configuration is invalid", entry);
  return configs;
}

function withoutHashes(cycle: RunSummary["cycles"][number]) {
  return { ...cycle, groups: cycle.groups.map(({ wouldSend, ...group }) => ({ ...group, wouldSend: wouldSend.length })) };
}
