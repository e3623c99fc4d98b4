import type { Recipient } from "../reminders/parseRecipientFile.ts";

/** A stored recipient and what has happened to them. */
export interface RecipientRecord extends Recipient {
  cycleId: string;
  group: string;
  hash: string;
  invitedAt?: string;
  remindersSent: number;
  respondedAt?: string;
  bouncedAt?: string;
  complainedAt?: string;
  optedOutAt?: string;
  /** Set when sending to the address failed permanently. */
  failedAt?: string;
  failureReason?: string;
}

/** Identifies one send: a message of a cycle to one recipient. */
export interface SendKey {
  cycleId: string;
  messageId: string;
  group: string;
  hash: string;
}

/** One send as the send log shows it: the recipient only by their pseudonym, never their address. */
export interface SendRecord extends SendKey {
  /** `claimed`: being sent (or a dead run's, settled by the next run); `failed`: the address was refused. */
  status: "claimed" | "sent" | "sent-unconfirmed" | "failed";
  claimedAt?: string;
  sentAt?: string;
}

/** Recipients, their statuses and the exactly-once claims on sends (DynamoDB). */
export interface RecipientStore {
  /** Adds or updates recipients, keeping what has already happened to them. */
  putRecipients(cycleId: string, group: string, recipients: Recipient[], now: Date): Promise<void>;
  /** A group's recipients. */
  recipients(cycleId: string, group: string): Promise<RecipientRecord[]>;
  /** Claims a send; false when it was claimed before (by this run, an earlier one or a concurrent one). */
  claimSend(send: SendKey, now: Date): Promise<boolean>;
  /** Gives a claim back after a failure that may pass, so a later run tries again. */
  releaseSend(send: SendKey): Promise<void>;
  /**
   * Records a send as done and updates the recipient (invited, or one more reminder).
   * `unconfirmed`: the send may or may not have gone (no answer came back); it counts as sent.
   */
  recordSent(send: SendKey, kind: "invitation" | "reminder", now: Date, unconfirmed?: boolean): Promise<void>;
  /** Claims of a message taken before `claimedBefore` and never recorded: a run died after sending, or before. */
  staleClaims(cycleId: string, messageId: string, claimedBefore: Date): Promise<SendKey[]>;
  /** The keyed pseudonym of a response token, as stored for recipients. */
  hashToken(token: string): string;
  /** Records that the address failed permanently; it is skipped from then on. */
  recordFailure(send: SendKey, reason: string, now: Date): Promise<void>;
  /** Marks the recipients with these token hashes as responded; returns how many matched. */
  markResponded(cycleId: string, group: string, tokenHashes: string[], now: Date): Promise<number>;
  /** Every send of one message of a cycle, whatever its outcome (the send log). */
  sends(cycleId: string, messageId: string): Promise<SendRecord[]>;
  /** When the survey team paused the cycle's invitations and reminders, or undefined while they run. */
  remindersPausedAt(cycleId: string): Promise<string | undefined>;
  /** Pauses (true) or resumes (false) a cycle's invitations and reminders; doing either twice changes nothing. */
  setRemindersPaused(cycleId: string, paused: boolean, now: Date): Promise<void>;
  /** Marks a recipient as bounced or complained (from SES events). */
  markUndeliverable(cycleId: string, group: string, hash: string, kind: "bounce" | "complaint", now: Date): Promise<void>;
}
