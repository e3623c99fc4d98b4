import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { FileRejectedError } from "../errors.ts";

/**
 * The most bytes a gzipped export may decompress to: 2 GiB, three times a million-response
 * UTF-8 export (627 MB) and room for the same in UTF-16. Reading that much takes seconds, well
 * inside ingest's five minutes; a file that inflates further is a gzip bomb, or not an export
 * ingest could read in time, and is refused as soon as it passes the limit.
 */
export const MAX_DECOMPRESSED_BYTES = 2 * 1024 ** 3;

/** Whether a file's first bytes are gzip's (`1f 8b`): a `.csv.gz`, whatever its name. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Decompresses a gzipped export as it streams in (never held whole: zlib inflates piece by
 * piece, as the reader asks for more). Throws {@link FileRejectedError} when the bytes are not
 * a whole gzip file, or when they inflate to more than `limit` bytes; an error of the stream
 * itself (the store) passes through as it is.
 *
 * @example for await (const bytes of gunzipExport(body, "uploads/c/leads/export.csv.gz")) read(bytes);
 */
export async function* gunzipExport(chunks: AsyncIterable<Uint8Array>, file: string, limit = MAX_DECOMPRESSED_BYTES): AsyncGenerator<Uint8Array> {
  const inflated = pipeline(Readable.from(chunks, { objectMode: false }), createGunzip({ chunkSize: 1 << 16 }), () => undefined);
  let total = 0;
  try {
    for await (const piece of inflated as AsyncIterable<Buffer>) {
      total += piece.length;
      if (total > limit) throw new FileRejectedError(file, tooLargeMessage(limit));
      yield piece;
    }
  } catch (error) {
    if (isZlibError(error)) throw new FileRejectedError(file, `not a readable gzip file (${error.message}): upload the export as it was downloaded, or uncompressed`, { cause: error });
    throw error;
  } finally {
    inflated.destroy();
  }
}

function tooLargeMessage(limit: number): string {
  return `the gzipped file decompresses to more than ${sizeOf(limit)}, the most an export may be (a million responses take under 1 GiB): it is refused as a gzip bomb`;
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes} bytes`;
}

/** zlib's own errors (damaged or cut-short data) carry a `Z_…` code. */
function isZlibError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("Z_");
}
