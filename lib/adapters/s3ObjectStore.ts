import type { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  ObjectChangedError,
  ObjectNotFoundError,
  type ObjectStore,
  type StoredObject,
} from "../ports/objectStore.ts";
import { PERSONAL_PREFIX } from "../storageKeys.ts";

/** The object store on S3 (or anything that speaks its API, such as s3rver). */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** The KMS key that encrypts personal data (`personal/…`); the bucket policy refuses it unencrypted. */
    private readonly personalDataKey?: string,
  ) {}

  async getText(key: string): Promise<string | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return await result.Body!.transformToString("utf-8");
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getStream(key: string, ifMatch?: string): Promise<StoredObject> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          IfMatch: ifMatch ? quoted(ifMatch) : undefined,
        }),
      );
      return {
        body: result.Body as unknown as AsyncIterable<Uint8Array>,
        etag: unquoted(result.ETag ?? ""),
        size: result.ContentLength ?? 0,
      };
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) {
        throw new ObjectChangedError(key, { cause: error });
      }
      throw error;
    }
  }

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ...this.encryptionOf(key) }),
    );
  }

  /** A server-side copy (CopyObject, up to 5 GB): one request, and the bytes never leave S3. */
  async copy(from: string, to: string): Promise<boolean> {
    try {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: `${this.bucket}/${encodedKey(from)}`, ...this.encryptionOf(to) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ...this.encryptionOf(key) },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
    });
    await upload.done();
  }

  /** SSE-KMS with the personal-data key for keys under `personal/`, when a key is configured. */
  private encryptionOf(key: string): { ServerSideEncryption?: "aws:kms"; SSEKMSKeyId?: string } {
    return this.personalDataKey !== undefined && key.startsWith(PERSONAL_PREFIX) ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: this.personalDataKey } : {};
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listDated(prefix)).map((object) => object.key);
  }

  async listDated(prefix: string): Promise<{ key: string; lastModified: Date }[]> {
    const objects: { key: string; lastModified: Date }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) objects.push({ key: object.Key, lastModified: object.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /**
   * The bucket is versioned, so a plain delete would only hide the object behind a delete
   * marker: every version of the key is deleted by id. A store without versioning (s3rver)
   * lists none, and the object itself is deleted.
   */
  async deleteAllVersions(key: string): Promise<void> {
    const versions: string[] = [];
    try {
      const listed = await this.client.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key }));
      for (const entry of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) if (entry.Key === key && entry.VersionId && entry.VersionId !== "null") versions.push(entry.VersionId);
    } catch {
      // No versioning API here: the plain delete below is all there is.
    }
    for (const versionId of versions) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
  );
}

/** A key as CopySource wants it: each segment URL-encoded, the slashes kept (s3rver decodes it with decodeURI). */
function encodedKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

function quoted(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

/** S3 ETags come quoted; the pipeline keeps them bare. */
export function unquoted(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}
