import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ConsoleRequest, type ConsoleResponse, isMultipart } from "./consoleHttp.ts";
import type { ConsoleDeps } from "./consoleDeps.ts";
import { handleConsoleRequest } from "./handleConsoleRequest.ts";

/** The largest request body read (forms are small; exports go straight to S3, never through here). */
const MAX_BODY_BYTES = 64 * 1024;
/** The largest multipart body (a recipient list: the route refuses files over its own limit with a message), as a function URL's 6 MB. */
const MAX_MULTIPART_BYTES = 6 * 1024 * 1024;

/** A running local console server. */
export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the console over HTTP on this machine (the local runtime's door; Lambda's is
 * functions/console.ts), on 127.0.0.1 and the given port (0: any free one).
 */
export async function startConsoleServer(deps: ConsoleDeps, port = 0): Promise<ConsoleServer> {
  const server = createServer((incoming, outgoing) => {
    serve(incoming, outgoing, deps).catch((error: unknown) => {
      deps.log.error("console server failed to answer", { error: String(error) });
      outgoing.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://localhost:${bound}/`, close: () => closeServer(server) };
}

async function serve(incoming: IncomingMessage, outgoing: ServerResponse, deps: ConsoleDeps): Promise<void> {
  const request = await toConsoleRequest(incoming);
  if (request === undefined) {
    outgoing.writeHead(413, { "content-type": "text/plain" }).end("request too large");
    return;
  }
  await writeResponse(await handleConsoleRequest(request, deps), outgoing);
}

async function toConsoleRequest(incoming: IncomingMessage): Promise<ConsoleRequest | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const multipart = isMultipart({ "content-type": incoming.headers["content-type"] });
  const limit = multipart ? MAX_MULTIPART_BYTES : MAX_BODY_BYTES;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  const url = new URL(incoming.url ?? "/", "http://localhost");
  const body = Buffer.concat(chunks).toString(multipart ? "latin1" : "utf8");
  return { method: incoming.method ?? "GET", path: url.pathname, query: url.search.slice(1), headers, body };
}

/** Writes a response; a file's stream is piped through as the store gives it. */
export async function writeResponse(response: ConsoleResponse, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, { ...response.headers, ...(response.cookies.length > 0 ? { "set-cookie": response.cookies } : {}) });
  const { body } = response;
  if (typeof body === "string" || body instanceof Uint8Array) {
    outgoing.end(body);
    return;
  }
  await pipeline(Readable.from(body), outgoing);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
