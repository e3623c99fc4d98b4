import type { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import type { PresignedForm, PresignRequest, UploadSigner } from "../console/uploads/uploadSigner.ts";

/**
 * Presigned POSTs for one bucket, signed with the client's credentials (the console function's
 * role, which may put objects under `staging/` only). The policy names the exact key, the size
 * range (1 byte to `maxBytes`), the redirect, and an expiry; S3 refuses a form that breaks any.
 * `postUrl` replaces the URL the SDK derives (locally: the POST-policy gate in front of s3rver).
 */
export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly postUrl?: string,
  ) {}

  async presign(request: PresignRequest): Promise<PresignedForm> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: request.key,
      // Every field given here (the redirect) becomes an exact-match condition of the policy too.
      Conditions: [["content-length-range", 1, request.maxBytes]],
      Fields: { success_action_redirect: request.redirect },
      Expires: request.expiresSeconds,
    });
    return { url: this.postUrl ?? url, fields };
  }
}
