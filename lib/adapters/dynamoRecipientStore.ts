import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { queryAll } from "./queryAll.ts";
import type { RecipientRecord, RecipientStore, SendKey, SendRecord } from "../ports/recipientStore.ts";
import type { Recipient } from "../reminders/parseRecipientFile.ts";
import { recipientHash, tokenHash } from "../reminders/recipientHash.ts";

/**
 * Recipients and sends in the ledger table:
 * - `RECIPIENTS#{cycle}#{group}` / `{hash}`: the recipient and their statuses;
 * - `TOKENS#{cycle}#{group}` / `{token hash}`: which recipient a response token belongs to;
 * - `SEND#{cycle}#{message}` / `{group}#{hash}`: the claim that makes each send happen once;
 * - `REMINDERS#{cycle}` / `PAUSED`: there while the survey team has paused the cycle's reminders.
 */
export class DynamoRecipientStore implements RecipientStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    /** The secret that keys recipient and token hashes. */
    private readonly hashKey: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async putRecipients(cycleId: string, group: string, recipients: Recipient[], now: Date): Promise<void> {
    for (const recipient of recipients) {
      const hash = recipientHash(recipient.email, this.hashKey);
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `RECIPIENTS#${cycleId}#${group}`, sk: hash },
          UpdateExpression:
            "SET email = :email, #name = :name, tokenHash = :token, optedOut = :optedOut, remindersSent = if_not_exists(remindersSent, :zero)" +
            (recipient.optedOut ? ", optedOutAt = if_not_exists(optedOutAt, :now)" : ""),
          ExpressionAttributeNames: { "#name": "name" },
          ExpressionAttributeValues: {
            ":email": recipient.email,
            ":name": recipient.name ?? null,
            ":token": recipient.tokenHash ?? null,
            ":optedOut": recipient.optedOut,
            ":zero": 0,
            ...(recipient.optedOut ? { ":now": now.toISOString() } : {}),
          },
        }),
      );
      if (recipient.tokenHash) {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: `TOKENS#${cycleId}#${group}`, sk: recipient.tokenHash, hash },
          }),
        );
      }
    }
  }

  async recipients(cycleId: string, group: string): Promise<RecipientRecord[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `RECIPIENTS#${cycleId}#${group}` },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      cycleId,
      group,
      hash: item.sk as string,
      email: item.email as string,
      ...(item.name ? { name: item.name as string } : {}),
      ...(item.tokenHash ? { tokenHash: item.tokenHash as string } : {}),
      optedOut: Boolean(item.optedOut),
      remindersSent: Number(item.remindersSent ?? 0),
      ...pick(item, ["invitedAt", "respondedAt", "bouncedAt", "complainedAt", "optedOutAt", "failedAt", "failureReason"]),
    }));
  }

  async claimSend(send: SendKey, now: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...sendKey(send), status: "claimed", claimedAt: now.toISOString() },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseSend(send: SendKey): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: sendKey(send) }));
  }

  async recordSent(send: SendKey, kind: "invitation" | "reminder", now: Date, unconfirmed = false): Promise<void> {
    const at = now.toISOString();
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: sendKey(send),
        UpdateExpression: "SET #status = :sent, sentAt = :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":sent": unconfirmed ? "sent-unconfirmed" : "sent", ":at": at },
      }),
    );
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: recipientKey(send.cycleId, send.group, send.hash),
        UpdateExpression:
          kind === "invitation" ? "SET invitedAt = if_not_exists(invitedAt, :at)" : "ADD remindersSent :one",
        ExpressionAttributeValues: kind === "invitation" ? { ":at": at } : { ":one": 1 },
      }),
    );
  }

  async staleClaims(cycleId: string, messageId: string, claimedBefore: Date): Promise<SendKey[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "#status = :claimed AND claimedAt < :before",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":pk": `SEND#${cycleId}#${messageId}`, ":claimed": "claimed", ":before": claimedBefore.toISOString() },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const [group, hash] = (item.sk as string).split("#") as [string, string];
      return { cycleId, messageId, group, hash };
    });
  }

  async sends(cycleId: string, messageId: string): Promise<SendRecord[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `SEND#${cycleId}#${messageId}` },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const [group, hash] = (item.sk as string).split("#") as [string, string];
      return { cycleId, messageId, group, hash, status: item.status as SendRecord["status"], ...pick(item, ["claimedAt", "sentAt"]) };
    });
  }

  async remindersPausedAt(cycleId: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: pauseKey(cycleId), ConsistentRead: true }));
    return typeof Item?.pausedAt === "string" ? Item.pausedAt : undefined;
  }

  async setRemindersPaused(cycleId: string, paused: boolean, now: Date): Promise<void> {
    if (!paused) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: pauseKey(cycleId) }));
      return;
    }
    try {
      // Pausing a paused cycle keeps the time it was first paused.
      await this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: { ...pauseKey(cycleId), pausedAt: now.toISOString() }, ConditionExpression: "attribute_not_exists(pk)" }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  hashToken(token: string): string {
    return tokenHash(token, this.hashKey);
  }

  async recordFailure(send: SendKey, reason: string, now: Date): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: sendKey(send),
        UpdateExpression: "SET #status = :failed, reason = :reason",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":failed": "failed", ":reason": reason },
      }),
    );
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: recipientKey(send.cycleId, send.group, send.hash),
        UpdateExpression: "SET failedAt = :at, failureReason = :reason",
        ExpressionAttributeValues: { ":at": now.toISOString(), ":reason": reason },
      }),
    );
  }

  async markResponded(cycleId: string, group: string, tokenHashes: string[], now: Date): Promise<number> {
    let matched = 0;
    for (let start = 0; start < tokenHashes.length; start += 100) {
      const keys = tokenHashes.slice(start, start + 100).map((hash) => ({ pk: `TOKENS#${cycleId}#${group}`, sk: hash }));
      let pending: Record<string, unknown>[] = keys;
      const found: string[] = [];
      while (pending.length > 0) {
        const result = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.push(item.hash as string);
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
      for (const hash of found) {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: recipientKey(cycleId, group, hash),
            UpdateExpression: "SET respondedAt = if_not_exists(respondedAt, :at)",
            ExpressionAttributeValues: { ":at": now.toISOString() },
          }),
        );
      }
      matched += found.length;
    }
    return matched;
  }

  async markUndeliverable(
    cycleId: string,
    group: string,
    hash: string,
    kind: "bounce" | "complaint",
    now: Date,
  ): Promise<void> {
    const field = kind === "bounce" ? "bouncedAt" : "complainedAt";
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: recipientKey(cycleId, group, hash),
          UpdateExpression: `SET ${field} = if_not_exists(${field}, :at)`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":at": now.toISOString() },
        }),
      );
    } catch (error) {
      // An event for a recipient no longer on the list changes nothing.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function recipientKey(cycleId: string, group: string, hash: string) {
  return { pk: `RECIPIENTS#${cycleId}#${group}`, sk: hash };
}

function pauseKey(cycleId: string) {
  return { pk: `REMINDERS#${cycleId}`, sk: "PAUSED" };
}

function sendKey(send: SendKey) {
  return { pk: `SEND#${send.cycleId}#${send.messageId}`, sk: `${send.group}#${send.hash}` };
}

function pick(item: Record<string, unknown>, fields: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const field of fields) if (typeof item[field] === "string") picked[field] = item[field] as string;
  return picked;
}
