import type { RecipientRecord, RecipientStore, SendRecord } from "../../ports/recipientStore.ts";
import { decide } from "../../reminders/runReminders.ts";
import { type ScheduledMessage, dueMessage, surveyMessages } from "../../reminders/surveySchedule.ts";
import type { CycleConfig } from "../../survey/config/cycleConfig.ts";

/** How a send ended, as the send log names it (exclusive: a send that later bounced is counted as bounced). */
export type SendOutcome = "sent" | "unconfirmed" | "bounced" | "refused" | "sending";

/** Every outcome, in the order the pages show them. */
export const SEND_OUTCOMES: readonly SendOutcome[] = ["sent", "unconfirmed", "bounced", "refused", "sending"];

/** Counts of sends by outcome. */
export type OutcomeCounts = Record<SendOutcome, number>;

/** One send in the log: the recipient by pseudonym only (the keyed hash logs use), never an address. */
export interface LoggedSend {
  messageId: string;
  group: string;
  recipient: string;
  outcome: SendOutcome;
  /** When it was sent, or claimed when it has no outcome yet. */
  at: string | undefined;
}

/** One group's list: how many people, and what has happened to them. */
export interface GroupListStatus {
  group: string;
  label: string;
  onList: number;
  optedOut: number;
  responded: number;
  /** Bounced, complained or refused by SES: never mailed again. */
  undeliverable: number;
}

/** One scheduled message: when, whether it is past, due or to come, and per group what it did or would do. */
export interface MessageStatus {
  message: ScheduledMessage;
  /** `due`: the message the hourly run sends now to anyone not yet mailed (until the next one is due). */
  when: "past" | "due" | "upcoming";
  groups: { group: string; label: string; outcomes: OutcomeCounts; wouldMail: number | undefined }[];
}

/** Everything the reminders pages show for a cycle. */
export interface ReminderStatus {
  pausedAt: string | undefined;
  lists: GroupListStatus[];
  messages: MessageStatus[];
  sends: LoggedSend[];
}

/** Reads a survey cycle's recipients, sends and pause, and works out its schedule as at `now`. */
export async function reminderStatus(config: CycleConfig, recipients: RecipientStore, now: Date): Promise<ReminderStatus> {
  const messages = surveyMessages(config);
  const byGroup = new Map<string, RecipientRecord[]>();
  for (const group of config.groups) byGroup.set(group.id, await recipients.recipients(config.id, group.id));
  const records: SendRecord[] = [];
  for (const message of messages) records.push(...(await recipients.sends(config.id, message.id)));
  const sends = outcomesOf(records, [...byGroup.values()].flat());
  const claimed = new Set(records.map((record) => `${record.messageId}#${record.group}#${record.hash}`));
  const due = dueMessage(config, now);
  return {
    pausedAt: await recipients.remindersPausedAt(config.id),
    lists: config.groups.map((group) => listStatus(group.id, group.label, byGroup.get(group.id)!)),
    messages: messages.map((message) => {
      const when = due?.id === message.id ? "due" : message.sendAt.getTime() > now.getTime() ? "upcoming" : "past";
      return {
        message,
        when,
        groups: config.groups.map((group) => ({
          group: group.id,
          label: group.label,
          outcomes: countOutcomes(sends.filter((send) => send.messageId === message.id && send.group === group.id)),
          wouldMail: when === "past" ? undefined : wouldMail(config, message, byGroup.get(group.id)!, claimed),
        })),
      };
    }),
    sends,
  };
}

/** How many of a group the hourly run would mail at the message's time, were the list as it is now (a send already claimed is not made again). */
function wouldMail(config: CycleConfig, message: ScheduledMessage, people: readonly RecipientRecord[], claimed: ReadonlySet<string>): number {
  return people.filter((person) => {
    const decision = decide(config, message, person);
    return !("skip" in decision) && !claimed.has(`${decision.message}#${person.group}#${person.hash}`);
  }).length;
}

/** Counts of each outcome among sends. */
export function countOutcomes(sends: readonly LoggedSend[]): OutcomeCounts {
  const counts: OutcomeCounts = { sent: 0, unconfirmed: 0, bounced: 0, refused: 0, sending: 0 };
  for (const send of sends) counts[send.outcome]++;
  return counts;
}

/**
 * Each send with its outcome. SES reports a bounce against the person, not the message: a
 * bounced recipient is never mailed again, so the last message they were sent is the one that
 * bounced, and it counts as bounced rather than sent.
 */
export function outcomesOf(records: readonly SendRecord[], people: readonly RecipientRecord[]): LoggedSend[] {
  const bounced = new Set(people.filter((person) => person.bouncedAt !== undefined).map((person) => `${person.group}#${person.hash}`));
  const lastSent = new Map<string, SendRecord>();
  for (const record of records) {
    if (record.status !== "sent" && record.status !== "sent-unconfirmed") continue;
    const key = `${record.group}#${record.hash}`;
    const previous = lastSent.get(key);
    if (previous === undefined || (record.sentAt ?? "") > (previous.sentAt ?? "")) lastSent.set(key, record);
  }
  return records
    .map((record) => {
      const key = `${record.group}#${record.hash}`;
      const outcome: SendOutcome =
        record.status === "failed" ? "refused" : record.status === "claimed" ? "sending" : bounced.has(key) && lastSent.get(key) === record ? "bounced" : record.status === "sent" ? "sent" : "unconfirmed";
      return { messageId: record.messageId, group: record.group, recipient: record.hash, outcome, at: record.sentAt ?? record.claimedAt };
    })
    .sort((a, b) => (b.at ?? "").localeCompare(a.at ?? "") || a.recipient.localeCompare(b.recipient));
}

function listStatus(group: string, label: string, people: readonly RecipientRecord[]): GroupListStatus {
  const count = (test: (person: RecipientRecord) => boolean) => people.filter(test).length;
  return {
    group,
    label,
    onList: people.length,
    optedOut: count((person) => person.optedOut || person.optedOutAt !== undefined),
    responded: count((person) => person.respondedAt !== undefined),
    undeliverable: count((person) => person.bouncedAt !== undefined || person.complainedAt !== undefined || person.failedAt !== undefined),
  };
}
