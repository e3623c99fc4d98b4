import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/** An HTTP request as the API core sees it (from API Gateway, or the CLI). */
export interface ApiRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
}

/** An HTTP response in API Gateway's shape. */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** Bodies larger than this are gzipped when the client accepts it. */
export const GZIP_ABOVE_BYTES = 1024;

/** A JSON error body: `{ "error": code, "message": text }`. */
export function errorResponse(statusCode: number, error: string, message: string, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ error, message }),
    isBase64Encoded: false,
  };
}

/**
 * A JSON response with a strong ETag; 304 when `If-None-Match` matches; gzipped when the
 * client accepts gzip and the body is large.
 */
export function jsonResponse(request: ApiRequest, value: unknown, statusCode = 200): ApiResponse {
  const body = JSON.stringify(value);
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    etag,
    "cache-control": "private, no-cache",
    vary: "Accept-Encoding, Authorization",
  };
  if (matchesEtag(header(request, "if-none-match"), etag)) {
    return { statusCode: 304, headers, body: "", isBase64Encoded: false };
  }
  if (body.length > GZIP_ABOVE_BYTES && /\bgzip\b/.test(header(request, "accept-encoding") ?? "")) {
    return {
      statusCode,
      headers: { ...headers, "content-encoding": "gzip" },
      body: gzipSync(body).toString("base64"),
      isBase64Encoded: true,
    };
  }
  return { statusCode, headers, body, isBase64Encoded: false };
}

/** A header's value, whatever the case of its name. */
export function header(request: ApiRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const value = tag.trim().replace(/^W\//, "");
    return value === "*" || value === etag;
  });
}

/** A file's bytes (a figure, the PDF, the workbook) with its type and a strong ETag; 304 when unchanged. */
export function fileResponse(request: ApiRequest, bytes: Uint8Array, contentType: string, fileName: string): ApiResponse {
  const etag = `"${createHash("sha256").update(bytes).digest("hex").slice(0, 32)}"`;
  const headers: Record<string, string> = {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${fileName}"`,
    etag,
    "cache-control": "private, no-cache",
  };
  if (matchesEtag(header(request, "if-none-match"), etag)) return { statusCode: 304, headers, body: "", isBase64Encoded: false };
  return { statusCode: 200, headers, body: Buffer.from(bytes).toString("base64"), isBase64Encoded: true };
}
