import { once } from "node:events";
import { createInflateRaw, type InflateRaw } from "node:zlib";
import { sizeText, WorkbookLimitError } from "./workbookLimits.ts";

const LOCAL_FILE = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED = 0x1;
const SIZES_AFTER = 0x8;
const UTF8_NAME = 0x800;
/**
 * Compressed bytes handed to zlib at a time. Deflate inflates at most about 1,000 to 1, so one
 * slice never makes more than some 16 MB, however hostile the entry (a zip bomb is refused on
 * the way, never inflated whole).
 */
const SLICE = 16 << 10;

/** A file's bytes as they stream in, read front to back: up to or exactly so many, and bytes handed back. */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes handed back (the last is read first). */
  private readonly held: Buffer[] = [];

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Up to `most` bytes (at least one), or undefined at the end. */
  async take(most: number): Promise<Buffer | undefined> {
    let next = this.held.pop();
    while (next === undefined || next.length === 0) {
      const result = await this.iterator.next();
      if (result.done) return undefined;
      next = Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength);
    }
    if (next.length <= most) return next;
    this.held.push(next.subarray(most));
    return next.subarray(0, most);
  }

  /** Exactly `size` bytes; fewer only when the file ends first. */
  async read(size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let length = 0;
    while (length < size) {
      const part = await this.take(size - length);
      if (part === undefined) break;
      parts.push(part);
      length += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  }

  /** Hands back bytes just read, to be read again first. */
  unread(bytes: Buffer): void {
    if (bytes.length > 0) this.held.push(bytes);
  }

  /** Reads the rest, keeping nothing (so that whoever counts the bytes sees them all). */
  async drain(): Promise<void> {
    while ((await this.take(Number.POSITIVE_INFINITY)) !== undefined);
  }
}

/** One entry of a zip file, from its local header. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  /** From the header; unknown (0) when the sizes come after the data. */
  compressedSize: number;
  zip64: boolean;
}

/**
 * The next entry's local header, or undefined where the entries end (the central directory, or
 * the end of the file). Throws for an entry this reader cannot read (encrypted, or compressed
 * otherwise than deflate).
 */
export async function nextEntry(source: ByteSource): Promise<ZipEntry | undefined> {
  const fixed = await source.read(30);
  if (fixed.length < 4 || fixed.readUInt32LE(0) !== LOCAL_FILE) {
    source.unread(fixed);
    return undefined;
  }
  if (fixed.length < 30) throw new Error("the file ends inside a zip entry's header");
  const flags = fixed.readUInt16LE(6);
  const method = fixed.readUInt16LE(8);
  const nameLength = fixed.readUInt16LE(26);
  const variable = await source.read(nameLength + fixed.readUInt16LE(28));
  const name = variable.toString(flags & UTF8_NAME ? "utf8" : "latin1", 0, nameLength);
  const zip64 = hasZip64Sizes(variable, nameLength);
  const entry: ZipEntry = { name, method, flags, compressedSize: zip64 ? zip64CompressedSize(variable, nameLength, fixed) : fixed.readUInt32LE(18), zip64 };
  if (flags & ENCRYPTED) throw new Error(`${name} is encrypted`);
  if (method !== STORED && method !== DEFLATED) throw new Error(`${name} is compressed with method ${method}, not deflate`);
  if (method === STORED && flags & SIZES_AFTER) throw new Error(`${name} is stored with its size after its data`);
  return entry;
}

/** Whether the extra field holds zip64's sizes (id 1): its data descriptor then has 8-byte sizes. */
function hasZip64Sizes(variable: Buffer, from: number): boolean {
  for (let at = from; at + 4 <= variable.length; at += 4 + variable.readUInt16LE(at + 2)) if (variable.readUInt16LE(at) === 1) return true;
  return false;
}

/** The compressed size from the zip64 extra field, when the header's is 0xFFFFFFFF. */
function zip64CompressedSize(variable: Buffer, from: number, fixed: Buffer): number {
  const headerSize = fixed.readUInt32LE(18);
  if (headerSize !== 0xffffffff) return headerSize;
  for (let at = from; at + 4 <= variable.length; at += 4 + variable.readUInt16LE(at + 2)) {
    if (variable.readUInt16LE(at) !== 1) continue;
    // The uncompressed size comes first when the header's is also 0xFFFFFFFF.
    const offset = at + 4 + (fixed.readUInt32LE(22) === 0xffffffff ? 8 : 0);
    if (offset + 8 <= variable.length) return Number(variable.readBigUInt64LE(offset));
  }
  return 0;
}

/** Counts the bytes a workbook inflates to, and refuses it past its limit. */
export class DecompressedBudget {
  private used = 0;

  constructor(private readonly limit: number) {}

  /** Counts `bytes` more; throws {@link WorkbookLimitError} once past the limit. */
  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw new WorkbookLimitError(`it decompresses to more than ${sizeText(this.limit, "bytes")}, the most a workbook may (a zip bomb, or not an export ingest could read in time)`);
  }
}

/** Where an entry's bytes go as it is read: inflated pieces (synchronously), its compressed bytes, and a pause after each slice. */
export interface EntrySink {
  piece?: (bytes: Buffer) => void;
  raw?: (bytes: Buffer) => Promise<void>;
  afterSlice?: () => Promise<void> | undefined;
}

/**
 * Reads the entry's data, and its data descriptor if it has one, handing its inflated bytes to
 * `sink.piece` as zlib makes them (counted against `budget` when given) and its compressed bytes
 * to `sink.raw`. A deflated entry whose sizes come after its data ends where its deflate stream
 * ends (zlib says how many bytes it took); the rest goes back to the source.
 */
export async function readEntry(source: ByteSource, entry: ZipEntry, sink: EntrySink, budget?: DecompressedBudget): Promise<void> {
  if (entry.method === STORED) await readStored(source, entry, sink, budget);
  else await readDeflated(source, entry, sink, budget);
  if (entry.flags & SIZES_AFTER) await skipDataDescriptor(source, entry);
}

/** Skips the entry: by its size when the header gives it, else by inflating it (counted) to find its end. */
export async function skipEntry(source: ByteSource, entry: ZipEntry, budget: DecompressedBudget): Promise<void> {
  if (entry.flags & SIZES_AFTER) {
    await readEntry(source, entry, {}, budget);
    return;
  }
  for (let left = entry.compressedSize; left > 0; ) {
    const part = await source.take(left);
    if (part === undefined) throw new Error(`the file ends inside ${entry.name}`);
    left -= part.length;
  }
}

async function readStored(source: ByteSource, entry: ZipEntry, sink: EntrySink, budget: DecompressedBudget | undefined): Promise<void> {
  for (let left = entry.compressedSize; left > 0; ) {
    const part = await source.take(Math.min(SLICE, left));
    if (part === undefined) throw new Error(`the file ends inside ${entry.name}`);
    left -= part.length;
    budget?.spend(part.length);
    sink.piece?.(part);
    await sink.raw?.(part);
    await sink.afterSlice?.();
  }
}

async function readDeflated(source: ByteSource, entry: ZipEntry, sink: EntrySink, budget: DecompressedBudget | undefined): Promise<void> {
  const inflater = createInflateRaw({ chunkSize: 64 << 10 });
  const failed = watchInflater(inflater, sink, budget);
  // Listened for from the start: a deflate stream that ends inside a slice ends the output at once.
  const ended = once(inflater, "end");
  ended.catch(() => undefined);
  const sizeKnown = !(entry.flags & SIZES_AFTER);
  let left = sizeKnown ? entry.compressedSize : Number.POSITIVE_INFINITY;
  let endedItself = false;
  try {
    while (left > 0) {
      const slice = await source.take(Math.min(SLICE, left));
      if (slice === undefined) throw new Error(`the file ends inside ${entry.name}`);
      const before = inflater.bytesWritten;
      await write(inflater, slice);
      if (failed.error !== undefined) throw failed.error;
      // bytesWritten counts the bytes zlib took: fewer than given means the deflate stream ended.
      const taken = inflater.bytesWritten - before;
      await sink.raw?.(taken === slice.length ? slice : slice.subarray(0, taken));
      if (taken < slice.length) {
        source.unread(slice.subarray(taken));
        endedItself = true;
        break;
      }
      left -= slice.length;
      await sink.afterSlice?.();
    }
    if (!endedItself) inflater.end();
    await ended;
    if (failed.error !== undefined) throw failed.error;
  } finally {
    inflater.destroy();
  }
}

/** Hands the inflater's output to the sink as it comes; an error (the sink's, or zlib's) is kept to be thrown by the reader. */
function watchInflater(inflater: InflateRaw, sink: EntrySink, budget: DecompressedBudget | undefined): { error: unknown } {
  const failed: { error: unknown } = { error: undefined };
  inflater.on("data", (piece: Buffer) => {
    if (failed.error !== undefined) return;
    try {
      budget?.spend(piece.length);
      sink.piece?.(piece);
    } catch (error) {
      failed.error = error;
    }
  });
  inflater.on("error", (error) => {
    failed.error ??= error;
  });
  return failed;
}

function write(inflater: InflateRaw, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => inflater.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** The CRC and sizes after an entry's data, with or without their signature. */
async function skipDataDescriptor(source: ByteSource, entry: ZipEntry): Promise<void> {
  const sizes = entry.zip64 ? 16 : 8;
  const head = await source.read(4);
  const rest = await source.read(head.length === 4 && head.readUInt32LE(0) === DATA_DESCRIPTOR ? 4 + sizes : sizes);
  if (head.length < 4 || rest.length < sizes) throw new Error(`the file ends inside ${entry.name}'s data descriptor`);
}
