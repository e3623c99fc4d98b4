import type { UploadEncoding } from "../kinds/cycleKind.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import type { ExportFacts } from "../sources/exportRows.ts";
import type { BatchWriter } from "./batchWriter.ts";
import type { RejectionCollector } from "./rejectionReport.ts";

/** An export read into a normalized batch by its writer: how it was read, the counts and the rows rejected. */
export interface EncodedBatch {
  facts: ExportFacts;
  writer: BatchWriter;
  /** Rows read (after the header and skipped rows), valid or not. */
  rows: number;
  duplicates: number;
  rejections: RejectionCollector;
}

/**
 * A normalized batch streamed to the store while its export is read: the encoder hands over its
 * writer once the header is known, and the upload to `key` starts at once, so the bytes are never
 * held whole. Ending the writer keeps the batch; aborting it abandons the upload.
 */
export class StreamedBatch {
  private written: Promise<void> | undefined;
  private writer: BatchWriter | undefined;

  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
  ) {}

  /** Receives the encoder's writer and starts streaming it to the store. */
  readonly onWriter = (writer: BatchWriter): void => {
    this.writer = writer;
    this.written = this.store.putStream(this.key, writer.stream, "application/octet-stream");
    this.written.catch(() => undefined);
  };

  /** Ends the batch and waits until the store has all of it. */
  async keep(): Promise<void> {
    this.writer?.end();
    await this.written;
  }

  /** Abandons the batch: the upload fails and nothing is kept. */
  async abandon(error: Error): Promise<void> {
    this.writer?.abort(error);
    await this.written?.catch(() => undefined);
  }

  /** The upload's encoding as ingest's guard sees it: the counts, and keeping or abandoning this batch. */
  encodingOf(encoded: EncodedBatch): UploadEncoding {
    return {
      facts: encoded.facts,
      rows: encoded.rows,
      accepted: encoded.writer.rows,
      duplicates: encoded.duplicates,
      rejections: encoded.rejections,
      normalizedKey: this.key,
      keep: () => this.keep(),
      abandon: (error) => this.abandon(error),
    };
  }

  /** Runs `encode`, abandoning the batch if it throws. */
  async encoding<T>(encode: () => Promise<T>): Promise<T> {
    try {
      return await encode();
    } catch (error) {
      await this.abandon(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}
