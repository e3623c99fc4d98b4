import { createHmac } from "node:crypto";

/**
 * A stable pseudonym for an email address, for logs, keys and summaries (never the address):
 * the first 16 hex digits of HMAC-SHA-256, keyed with a secret (`RecipientHashKey` in AWS), over
 * the trimmed lower-case address. Without the key, guessing addresses cannot reverse it.
 *
 * @example recipientHash("Jo@Example.org", key) === recipientHash("jo@example.org ", key) // true
 */
export function recipientHash(email: string, key: string): string {
  return createHmac("sha256", key).update(`asye-recipient:${email.trim().toLowerCase()}`).digest("hex").slice(0, 16);
}

/** The keyed hash stored for a response token, so tokens are never stored themselves. */
export function tokenHash(token: string, key: string): string {
  return createHmac("sha256", key).update(`asye-token:${token.trim()}`).digest("hex");
}

/** The key for local runs and tests (AWS uses the `RecipientHashKey` secret). */
export const LOCAL_HASH_KEY = "asye-local-recipient-hash-key";
