import { createHash } from "node:crypto";

/**
 * A stable pseudonym for an email address, for logs, keys and summaries (never the address):
 * the first 16 hex digits of SHA-256 over the trimmed lower-case address and a fixed context.
 *
 * @example recipientHash("Jo@Example.org") === recipientHash("jo@example.org ") // true
 */
export function recipientHash(email: string): string {
  return createHash("sha256").update(`asye-recipient:${email.trim().toLowerCase()}`).digest("hex").slice(0, 16);
}

/** The hash stored for a response token, so tokens are never stored themselves. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(`asye-token:${token.trim()}`).digest("hex");
}
