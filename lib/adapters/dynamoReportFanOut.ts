import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Publication } from "../ports/ingestLedger.ts";
import type { FanOutStatus, ReportFanOut } from "../ports/reportFanOut.ts";

/**
 * Fan-out completion records in the ledger table: `CYCLE#{cycleId}` / `FANOUT#{run}` holds the
 * organisations owed a report (a string set), those done (a string set, added to with a
 * condition so each counts once), each organisation's claim (a map of lease ends), the
 * publication to make, and whether it was made.
 */
export class DynamoReportFanOut implements ReportFanOut {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async start(cycleId: string, run: string, organisations: readonly string[], publication: Publication): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(cycleId, run),
            expected: organisations.length,
            // A string set cannot be empty; a run with no organisation is published by the compute.
            ...(organisations.length > 0 ? { organisations: new Set(organisations) } : {}),
            claims: {},
            publication,
            published: false,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async claim(cycleId: string, run: string, organisation: string, now: Date, leaseUntil: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(cycleId, run),
          UpdateExpression: "SET claims.#organisation = :until",
          ConditionExpression: "contains(organisations, :name) AND (attribute_not_exists(claims.#organisation) OR claims.#organisation < :now)",
          ExpressionAttributeNames: { "#organisation": organisation },
          ExpressionAttributeValues: { ":until": leaseUntil.toISOString(), ":now": now.toISOString(), ":name": organisation },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async isDone(cycleId: string, run: string, organisation: string): Promise<boolean> {
    const item = await this.item(cycleId, run);
    return item?.done?.has(organisation) ?? false;
  }

  async markDone(cycleId: string, run: string, organisation: string): Promise<FanOutStatus> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(cycleId, run),
          UpdateExpression: "ADD done :organisation",
          ConditionExpression: "contains(organisations, :name)",
          ExpressionAttributeValues: { ":organisation": new Set([organisation]), ":name": organisation },
          ReturnValues: "ALL_NEW",
        }),
      );
      return statusOf(cycleId, run, Attributes as StoredFanOut);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new Error(`organisation "${organisation}" is not owed a report in fan-out ${run} of ${cycleId}`, { cause: error });
    }
  }

  async markPublished(cycleId: string, run: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({ TableName: this.tableName, Key: key(cycleId, run), UpdateExpression: "SET published = :yes", ExpressionAttributeValues: { ":yes": true } }),
    );
  }

  async status(cycleId: string, run: string): Promise<FanOutStatus | undefined> {
    const item = await this.item(cycleId, run);
    return item === undefined ? undefined : statusOf(cycleId, run, item);
  }

  private async item(cycleId: string, run: string): Promise<StoredFanOut | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key(cycleId, run), ConsistentRead: true }));
    return Item as StoredFanOut | undefined;
  }
}

interface StoredFanOut {
  expected: number;
  done?: Set<string>;
  publication: Publication;
  published: boolean;
}

function key(cycleId: string, run: string): { pk: string; sk: string } {
  return { pk: `CYCLE#${cycleId}`, sk: `FANOUT#${run}` };
}

function statusOf(cycleId: string, run: string, item: StoredFanOut): FanOutStatus {
  return { cycleId, run, expected: item.expected, done: item.done?.size ?? 0, publication: item.publication, published: item.published };
}
