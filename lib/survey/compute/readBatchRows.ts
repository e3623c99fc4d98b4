import { type BatchHeader, batchHeaderSchema } from "../ingest/batchFormat.ts";

const NEWLINE = 0x0a;

/** Receives a normalized batch as it streams: its header once, then whole rows (`length` bytes of `rows`). */
export interface BatchRowSink {
  header(header: BatchHeader): void;
  rows(rows: Uint8Array, length: number): void;
}

/**
 * Reads a normalized batch (see batchFormat.ts) as it streams past, handing its header and then
 * whole rows to `sink`; a row split across chunks is joined first. Throws on a batch with no
 * header line or a partial row at the end.
 */
export async function streamBatchRows(body: AsyncIterable<Uint8Array>, source: string, sink: BatchRowSink): Promise<BatchHeader> {
  let header: BatchHeader | undefined;
  let pending = new Uint8Array(0);
  for await (const chunk of body) {
    let bytes = pending.length > 0 ? concat(pending, chunk) : chunk;
    if (!header) {
      const end = bytes.indexOf(NEWLINE);
      if (end < 0) {
        pending = bytes.slice();
        continue;
      }
      header = batchHeaderSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))));
      sink.header(header);
      bytes = bytes.subarray(end + 1);
    }
    const whole = bytes.length - (bytes.length % header.rowWidth);
    sink.rows(bytes, whole);
    pending = bytes.slice(whole);
  }
  if (!header) throw new Error(`${source}: not a normalized batch (no header line)`);
  if (pending.length > 0) throw new Error(`${source}: truncated (a partial row of ${pending.length} bytes at the end)`);
  return header;
}

/** A whole batch in memory: its header and every row, `rowWidth` bytes each (for the weighted figures, which need each respondent). */
export async function readBatchRows(body: AsyncIterable<Uint8Array>, source: string): Promise<{ header: BatchHeader; rows: Uint8Array; count: number }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const header = await streamBatchRows(body, source, {
    header: () => undefined,
    rows: (rows, length) => {
      parts.push(rows.slice(0, length));
      size += length;
    },
  });
  const rows = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    rows.set(part, at);
    at += part.length;
  }
  return { header, rows, count: size / header.rowWidth };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
