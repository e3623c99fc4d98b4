/** An HTTP request as the console core sees it (from a Lambda function URL, or the local server). */
export interface ConsoleRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /**
   * The body as text (forms are small); empty for GET. A multipart body (a file upload) is
   * decoded as Latin-1, one character per byte, so its file's bytes come through whole.
   */
  body: string;
  /** The query string without its "?" (only the sign-in callback reads one); empty when none. */
  query?: string;
}

/** An HTTP response: a page, a redirect, or a file streamed from the store. */
export interface ConsoleResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values, one per cookie (function URLs and Node take them as a list). */
  cookies: string[];
  body: string | Uint8Array | AsyncIterable<Uint8Array>;
}

/** Whether a request's body is multipart/form-data (a form with a file). */
export function isMultipart(headers: ConsoleRequest["headers"]): boolean {
  return /^multipart\/form-data\b/i.test(headers["content-type"] ?? "");
}

/** A response with the given status and body and no cookies. */
export function respond(status: number, headers: Record<string, string>, body: ConsoleResponse["body"] = ""): ConsoleResponse {
  return { status, headers, cookies: [], body };
}

/** A 303 See Other to `location` (after a POST, or to the sign-in page). */
export function redirect(location: string): ConsoleResponse {
  return respond(303, { location });
}
