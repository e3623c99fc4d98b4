import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether an `Authorization: Bearer …` header carries the expected token, compared in
 * constant time (over SHA-256 digests, so the lengths do not leak either).
 */
export function hasBearerToken(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match || expected.length === 0) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(expected));
}
