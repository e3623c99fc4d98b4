import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type ConsoleRequest, isMultipart } from "./consoleHttp.ts";

/** A Lambda function URL's event (payload 2.0) as a console request: cookies come as a list, bodies may be base64. */
export function consoleRequestFromUrlEvent(event: APIGatewayProxyEventV2): ConsoleRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  if (event.cookies !== undefined && event.cookies.length > 0) headers.cookie = event.cookies.join("; ");
  const raw = event.body ?? "";
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    ...(event.rawQueryString ? { query: event.rawQueryString } : {}),
    headers,
    // A file upload's bytes are kept whole as Latin-1 text (one character per byte).
    body: event.isBase64Encoded ? Buffer.from(raw, "base64").toString(isMultipart(headers) ? "latin1" : "utf8") : raw,
  };
}
