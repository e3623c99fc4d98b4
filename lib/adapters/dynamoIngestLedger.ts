import { ConditionalCheckFailedException, type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { queryAll } from "./queryAll.ts";
import type {
  ClaimResult,
  CurrentBatch,
  IngestLedger,
  Publication,
  UploadRecord,
  UploadRef,
} from "../ports/ingestLedger.ts";

/**
 * The ingest ledger in one DynamoDB table keyed by `pk`/`sk`:
 * - `UPLOAD#{key}` / `VERSION#{etag}#{sequencer}`: one record per upload delivery target;
 * - `CYCLE#{cycleId}` / `CURRENT#{group}`: the batch that stands for a group;
 * - `CYCLE#{cycleId}` / `GENERATION`: counted up with every change of a current batch;
 * - `CYCLE#{cycleId}` / `PUBLISHED`: which compute's results the cycle shows;
 * - `CYCLE#{cycleId}` / `LOCK#{name}`: a lease that lets one run of something at a time per cycle.
 * Conditional writes make claims and current-batch updates safe under concurrent deliveries.
 */
export class DynamoIngestLedger implements IngestLedger {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async claim(upload: UploadRef, now: Date, leaseMs: number): Promise<ClaimResult> {
    const record: UploadRecord = {
      upload,
      status: "processing",
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...uploadKey(upload.key, upload.etag, upload.sequencer), ...flatten(record) },
          ConditionExpression:
            "attribute_not_exists(pk) OR (#status = :processing AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":processing": "processing", ":now": now.toISOString() },
        }),
      );
      return { outcome: "claimed" };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.recordOf(upload.key, upload.etag, upload.sequencer);
      if (!existing) return this.claim(upload, now, leaseMs);
      return existing.status === "processing"
        ? { outcome: "busy", record: existing }
        : { outcome: "finished", record: existing };
    }
  }

  async finish(record: UploadRecord): Promise<void> {
    const { upload } = record;
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...uploadKey(upload.key, upload.etag, upload.sequencer), ...flatten(record) },
      }),
    );
  }

  async makeCurrent(batch: CurrentBatch): Promise<boolean> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: `CYCLE#${batch.cycleId}`,
                  sk: `CURRENT#${batch.group}`,
                  uploadedAt: batch.upload.uploadedAt,
                  sequencer: batch.upload.sequencer,
                  batch,
                },
                // A later upload (by S3's time, then sequencer) is never replaced by an earlier one.
                ConditionExpression: "attribute_not_exists(pk) OR uploadedAt < :at OR (uploadedAt = :at AND sequencer <= :seq)",
                ExpressionAttributeValues: { ":at": batch.upload.uploadedAt, ":seq": batch.upload.sequencer },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: `CYCLE#${batch.cycleId}`, sk: "GENERATION" },
                UpdateExpression: "ADD generation :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") return false;
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async generation(cycleId: string): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `CYCLE#${cycleId}`, sk: "GENERATION" }, ConsistentRead: true }),
    );
    return (Item?.generation as number | undefined) ?? 0;
  }

  async publish(publication: Publication): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `CYCLE#${publication.cycleId}`, sk: "PUBLISHED", generation: publication.generation, computedAt: publication.computedAt, publication },
          ConditionExpression: "attribute_not_exists(pk) OR generation < :g OR (generation = :g AND computedAt <= :at)",
          ExpressionAttributeValues: { ":g": publication.generation, ":at": publication.computedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async published(cycleId: string): Promise<Publication | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `CYCLE#${cycleId}`, sk: "PUBLISHED" }, ConsistentRead: true }),
    );
    return Item?.publication as Publication | undefined;
  }

  async acquireLock(cycleId: string, name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `CYCLE#${cycleId}`, sk: `LOCK#${name}`, holder, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() },
          ConditionExpression: "attribute_not_exists(pk) OR leaseUntil < :now",
          ExpressionAttributeValues: { ":now": now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseLock(cycleId: string, name: string, holder: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: `CYCLE#${cycleId}`, sk: `LOCK#${name}` },
          ConditionExpression: "holder = :holder",
          ExpressionAttributeValues: { ":holder": holder },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async currentBatches(cycleId: string): Promise<CurrentBatch[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :current)",
      ExpressionAttributeValues: { ":pk": `CYCLE#${cycleId}`, ":current": "CURRENT#" },
      ConsistentRead: true,
    });
    return items.map((item) => item.batch as CurrentBatch);
  }

  async records(key: string): Promise<UploadRecord[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `UPLOAD#${key}` },
      ConsistentRead: true,
    });
    return items
      .map((item) => item.record as UploadRecord)
      .sort((a, b) => a.upload.uploadedAt.localeCompare(b.upload.uploadedAt));
  }

  private async recordOf(
    key: string,
    etag: string,
    sequencer: string,
  ): Promise<UploadRecord | undefined> {
    const result = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: uploadKey(key, etag, sequencer),
        ConsistentRead: true,
      }),
    );
    return result.Item ? (result.Item.record as UploadRecord) : undefined;
  }
}

function uploadKey(key: string, etag: string, sequencer: string): { pk: string; sk: string } {
  return { pk: `UPLOAD#${key}`, sk: `VERSION#${etag}#${sequencer}` };
}

function flatten(record: UploadRecord): Record<string, unknown> {
  return { status: record.status, leaseUntil: record.leaseUntil, record };
}
