import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type ConsoleRequest, isMultipart } from "./consoleHttp.ts";
import { readMultipart, textField } from "./multipartForm.ts";
import { SESSION_COOKIE } from "./session.ts";

const cookieValueSchema = z.string().max(4096).regex(/^[A-Za-z0-9_.-]*$/);

/** The session cookie's raw value in a request, when there is one and it is well formed. */
export function sessionCookieValue(request: ConsoleRequest): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name !== SESSION_COOKIE) continue;
    const parsed = cookieValueSchema.safeParse(value.join("="));
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}

/** A url-encoded form body, read by `schema`; undefined when it does not fit. */
export function readForm<T>(request: ConsoleRequest, schema: z.ZodType<T>): T | undefined {
  if (request.body.length > 16_384) return undefined;
  const parsed = schema.safeParse(Object.fromEntries(new URLSearchParams(request.body)));
  return parsed.success ? parsed.data : undefined;
}

/** Every console form carries the session's CSRF token in this field. */
export const csrfFormSchema = z.object({ csrf: z.string().max(128) });

/** Whether a POST carries the session's CSRF token (compared in constant time), in a url-encoded or a multipart form. */
export async function hasCsrfToken(request: ConsoleRequest, expected: string): Promise<boolean> {
  const form = isMultipart(request.headers)
    ? csrfFormSchema.safeParse({ csrf: textField(await readMultipart(request), "csrf") }).data
    : readForm(request, csrfFormSchema.loose());
  if (form === undefined) return false;
  const given = Buffer.from(form.csrf);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
