import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type ConsoleRequest, isMultipart } from "./consoleHttp.ts";

/** A Lambda function URL's event (payload 2.0) as a console request: cookies come as a list, bodies may be base64. */
export function consoleRequestFromUrlEvent(event: APIGatewayProxyEventV2): ConsoleRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  if (event.cookies !== undefined && event.cookies.length > 0) headers.cookie = event.cookies.join("; ");
  const raw = event.body ?? "";
  const bytes = Buffer.from(raw, event.isBase64Encoded ? "base64" : "utf8");
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    ...(event.rawQueryString ? { query: event.rawQueryString } : {}),
    headers,
    body: event.isBase64Encoded ? bytes.toString("utf8") : raw,
    // An upload's bytes, whole (text would lose a workbook's).
    ...(isMultipart(headers) ? { bytes } : {}),
  };
}
