/** A browser form that uploads one file straight to S3: where it posts, and its hidden fields (the signed policy). */
export interface PresignedForm {
  url: string;
  fields: Record<string, string>;
}

/** What one presigned POST allows: exactly this key, a body of at most `maxBytes`, until `expiresSeconds` from now, then back to `redirect`. */
export interface PresignRequest {
  key: string;
  maxBytes: number;
  expiresSeconds: number;
  /** Where S3 sends the browser after storing the file (303, with bucket, key and etag in the query). */
  redirect: string;
}

/**
 * Signs staged uploads (the port): S3's presigned POST in AWS and locally, where the form posts to
 * the POST-policy gate in front of s3rver (lib/local/postPolicyGate.ts).
 */
export interface UploadSigner {
  presign(request: PresignRequest): Promise<PresignedForm>;
}
