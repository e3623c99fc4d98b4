import { once } from "node:events";
import { PassThrough } from "node:stream";


/**
 * Buffers normalized rows and streams them out in blocks, so a batch of any size is written
 * without being held whole. Rows are encoded straight into `buffer` at `used`.
 */
export class BatchWriter {
  readonly stream = new PassThrough();
  readonly buffer: Uint8Array;
  used = 0;
  rows = 0;

  constructor(
    /** The batch header (any format), written as the first line. */
    header: object,
    private readonly rowWidth: number,
    blockRows = 32_768,
  ) {
    this.buffer = new Uint8Array(rowWidth * blockRows);
    this.stream.write(`${JSON.stringify(header)}\n`);
  }

  /** Keeps the row just encoded at `used`. */
  commit(): void {
    this.used += this.rowWidth;
    this.rows++;
    if (this.used === this.buffer.length) this.flush();
  }

  /** Resolves when the consumer has caught up (call between batches of records). */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, "drain");
  }

  /** Writes what is buffered and ends the stream. */
  end(): void {
    this.flush();
    this.stream.end();
  }

  /** Stops the stream with an error so a pending upload is abandoned. */
  abort(error: Error): void {
    this.stream.destroy(error);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.stream.write(Buffer.from(this.buffer.subarray(0, this.used)));
    this.used = 0;
  }
}
