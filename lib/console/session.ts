import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { roleSchema } from "./roles.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "asye_console";

/** How long a session lasts from signing in (a working day). */
export const SESSION_SECONDS = 8 * 60 * 60;

/**
 * What the signed cookie holds: the CSRF token of this session's forms and, once signed in, the
 * role. Before signing in the session has a token only (the sign-in form needs one too).
 */
export const sessionSchema = z.object({
  csrf: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/),
  role: roleSchema.optional(),
  /** Who signed in, as the identity provider names them (kept in the cookie, never in a URL). */
  subject: z.string().max(200).optional(),
  expires: z.number().int().positive(),
});

/** A console session. */
export type Session = z.infer<typeof sessionSchema>;

/** A new session (anonymous unless a role is given) with a fresh CSRF token. */
export function newSession(now: Date, signedIn?: { role: Session["role"]; subject: string }): Session {
  return { csrf: randomBytes(24).toString("base64url"), ...signedIn, expires: Math.floor(now.getTime() / 1000) + SESSION_SECONDS };
}

/** The cookie value: the session as base64url JSON, a dot, and its HMAC-SHA256 under `key`. */
export function signSession(session: Session, key: Uint8Array): string {
  const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
  return `${payload}.${mac(payload, key)}`;
}

/** The session in a cookie value, or undefined when it is malformed, forged, or expired. */
export function verifySession(value: string, key: Uint8Array, now: Date): Session | undefined {
  const [payload, signature, ...rest] = value.split(".");
  if (payload === undefined || signature === undefined || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(payload, key));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const session = sessionSchema.safeParse(decoded);
  if (!session.success || session.data.expires * 1000 <= now.getTime()) return undefined;
  return session.data;
}

/** The Set-Cookie value for a session: HttpOnly, Secure, SameSite=Lax, whole site, until it expires. */
export function sessionCookie(session: Session, key: Uint8Array): string {
  return `${SESSION_COOKIE}=${signSession(session, key)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${SESSION_SECONDS}`;
}

/** The Set-Cookie value that removes the session cookie (signing out). */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

function mac(payload: string, key: Uint8Array): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}
