import type { Readable } from "node:stream";

/** An object read from storage, streamed. */
export interface StoredObject {
  body: AsyncIterable<Uint8Array>;
  etag: string;
  size: number;
}

/** What the pipeline needs of object storage (S3 in AWS, s3rver locally). */
export interface ObjectStore {
  /** The object's text, or undefined when there is no such key. */
  getText(key: string): Promise<string | undefined>;
  /** Streams an object; throws {@link ObjectNotFoundError} when missing, {@link ObjectChangedError} when `ifMatch` no longer matches. */
  getStream(key: string, ifMatch?: string): Promise<StoredObject>;
  /** Writes a whole object. */
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Copies an object to another key inside the store (type kept), without reading it out; false when there is no object at `from`. */
  copy(from: string, to: string): Promise<boolean>;
  /** Writes an object from a stream without holding it whole (multipart). */
  putStream(key: string, body: Readable, contentType: string): Promise<void>;
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** Keys under a prefix with when each was written. */
  listDated(prefix: string): Promise<{ key: string; lastModified: Date }[]>;
  /** Deletes an object and every earlier version of it (for personal data past its retention). */
  deleteAllVersions(key: string): Promise<void>;
}

/** Every chunk of an object's body, joined: for the small files (reports, figures) read whole. */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** No object at the key. */
export class ObjectNotFoundError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`no object at ${key}`, options);
    this.name = "ObjectNotFoundError";
  }
}

/** The object at the key is no longer the version that was asked for. */
export class ObjectChangedError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`${key} has been replaced since the event was sent`, options);
    this.name = "ObjectChangedError";
  }
}
