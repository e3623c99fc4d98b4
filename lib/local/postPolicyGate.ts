import { createHmac, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { escapeHtml } from "../console/html.ts";

/** The credentials the local clients sign with (lib/adapters/awsClients.ts). */
const LOCAL_SECRET = "S3RVER";

/** The largest form the gate reads at all; the policy's own range is checked after. */
const MAX_FORM_BYTES = 200 * 1024 * 1024;

/** A refusal as S3 gives it: status, code and message. */
class PostRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const conditionSchema = z.union([
  z.record(z.string(), z.string()),
  z.tuple([z.enum(["eq", "starts-with"]), z.string().startsWith("$"), z.string()]),
  z.tuple([z.literal("content-length-range"), z.number().int(), z.number().int()]),
]);
const policySchema = z.object({ expiration: z.iso.datetime(), conditions: z.array(conditionSchema) });

/** A running gate: the URL forms post to (path-style, with the bucket), and how to stop it. */
export interface PostPolicyGate {
  url: string;
  close(): Promise<void>;
}

/**
 * S3's browser-based POST upload, enforced, in front of s3rver. s3rver accepts POST uploads but
 * ignores their policy: it checks no signature, no expiry, no key condition and no
 * content-length-range. This gate does what S3 does with a POST form (Signature Version 4 over
 * the base64 policy; the expiry; every condition; every form field covered by one) and stores
 * an accepted file in s3rver with PutObject (so s3rver's own event follows), then redirects as
 * S3 does: 303 to success_action_redirect with bucket, key and etag, or 204. Local only.
 */
export async function startPostPolicyGate(s3: S3Client, bucket: string, now: () => Date = () => new Date()): Promise<PostPolicyGate> {
  const server = createServer((request, response) => {
    gate(request, response, s3, bucket, now).catch((error: unknown) => {
      const refusal = error instanceof PostRefused ? error : new PostRefused(500, "InternalError", String(error));
      response.writeHead(refusal.status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${refusal.code}</Code><Message>${escapeHtml(refusal.message)}</Message></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/${bucket}`, close: () => closeServer(server) };
}

async function gate(request: IncomingMessage, response: ServerResponse, s3: S3Client, bucket: string, now: () => Date): Promise<void> {
  if (request.method !== "POST" || new URL(request.url ?? "/", "http://gate").pathname !== `/${bucket}`) throw new PostRefused(405, "MethodNotAllowed", "Only POST uploads to the bucket are served here.");
  const { fields, file } = await readForm(request);
  const policy = checkSignature(fields);
  if (Date.parse(policy.expiration) <= now().getTime()) throw new PostRefused(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
  checkConditions(policy.conditions, { ...fields, bucket }, file.byteLength);
  const key = fields.key!;
  const stored = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file, ContentType: fields["content-type"] ?? "application/octet-stream" }));
  const etag = stored.ETag ?? "";
  const redirect = fields.success_action_redirect;
  if (redirect === undefined) {
    response.writeHead(204, { etag }).end();
    return;
  }
  const location = new URL(redirect);
  for (const [name, value] of Object.entries({ bucket, key, etag })) location.searchParams.set(name, value);
  response.writeHead(303, { location: location.href, etag }).end();
}

/** The form's fields (names in lower case, as S3 matches them) and its one file. */
async function readForm(request: IncomingMessage): Promise<{ fields: Record<string, string>; file: Uint8Array }> {
  const type = request.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) throw new PostRefused(412, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    chunks.push(chunk);
  }
  const form = await new Request("http://gate/", { method: "POST", headers: { "content-type": type }, body: Buffer.concat(chunks) }).formData();
  const fields: Record<string, string> = {};
  let file: Uint8Array | undefined;
  for (const [name, value] of form) {
    if (name === "file" && typeof value !== "string") file = new Uint8Array(await value.arrayBuffer());
    else if (typeof value === "string") fields[name.toLowerCase()] = value;
  }
  if (file === undefined) throw new PostRefused(400, "InvalidArgument", "POST requires exactly one file upload per request.");
  if (!fields.key) throw new PostRefused(400, "InvalidArgument", "Bucket POST must contain a field named 'key'.");
  return { fields, file };
}

/** The policy, once its signature is the one the local secret makes (SigV4: the base64 policy is the string to sign). */
function checkSignature(fields: Record<string, string>): z.infer<typeof policySchema> {
  const encoded = fields.policy;
  const credential = /^[^/]+\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(fields["x-amz-credential"] ?? "");
  if (encoded === undefined || credential === null || fields["x-amz-algorithm"] !== "AWS4-HMAC-SHA256") throw new PostRefused(403, "AccessDenied", "Bucket POST must contain a policy signed with AWS4-HMAC-SHA256.");
  const signingKey = ["aws4_request", "s3", credential[2]!, credential[1]!].reduceRight<Buffer>((key, part) => createHmac("sha256", key).update(part).digest(), Buffer.from(`AWS4${LOCAL_SECRET}`));
  const expected = Buffer.from(createHmac("sha256", signingKey).update(encoded).digest("hex"));
  const given = Buffer.from(fields["x-amz-signature"] ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new PostRefused(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    throw new PostRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
  }
  const policy = policySchema.safeParse(decoded);
  if (!policy.success) throw new PostRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid conditions.");
  return policy.data;
}

/** Every condition holds, and every field but the signature, the policy and x-ignore-* ones is covered by one. */
function checkConditions(conditions: z.infer<typeof conditionSchema>[], fields: Record<string, string>, bytes: number): void {
  const covered = new Set(["policy", "x-amz-signature", "file"]);
  for (const condition of conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, value] of Object.entries(condition)) holds("eq", name.toLowerCase(), value);
    } else if (condition[0] === "content-length-range") {
      const [, min, max] = condition;
      if (bytes > max) throw new PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
      if (bytes < min) throw new PostRefused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
    } else {
      holds(condition[0], condition[1].slice(1).toLowerCase(), condition[2]);
    }
  }
  const uncovered = Object.keys(fields).find((name) => !covered.has(name) && !name.startsWith("x-ignore-"));
  if (uncovered !== undefined) throw new PostRefused(403, "AccessDenied", `Invalid according to Policy: Extra input fields: ${uncovered}`);

  function holds(operator: "eq" | "starts-with", name: string, value: string): void {
    covered.add(name);
    const given = fields[name] ?? "";
    if (operator === "eq" ? given !== value : !given.startsWith(value)) throw new PostRefused(403, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ["${operator}", "$${name}", "${value}"]`);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
