import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake SES does with one SendEmail request. */
export type SesBehaviour = "accept" | "throttle" | "drop-reply" | "sender-not-verified" | "bad-address" | "server-error";

/**
 * An SES v2 endpoint on loopback that speaks its REST-JSON protocol (POST
 * /v2/email/outbound-emails), so the real SDK client, its retry strategy and our classification
 * run end to end. There is no local SES; this stands in for it, one behaviour per request.
 */
export async function startFakeSes(next: (request: number) => SesBehaviour): Promise<{ endpoint: string; requests: { to: string[] }[]; close(): Promise<void> }> {
  const requests: { to: string[] }[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const input = JSON.parse(body || "{}") as { Destination?: { ToAddresses?: string[] } };
      requests.push({ to: input.Destination?.ToAddresses ?? [] });
      const error = (status: number, type: string, message: string) => {
        response.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type });
        response.end(JSON.stringify({ message }));
      };
      switch (next(requests.length)) {
        case "accept":
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify({ MessageId: `m-${requests.length}` }));
          return;
        case "throttle":
          return error(429, "TooManyRequestsException", "Maximum sending rate exceeded.");
        case "drop-reply":
          // SES did the work; the reply never arrives.
          request.socket.destroy();
          return;
        case "sender-not-verified":
          return error(400, "MessageRejected", "Email address is not verified. The following identities failed the check in region EU-WEST-2: survey@example.org");
        case "bad-address":
          return error(400, "BadRequestException", `Illegal address: ${input.Destination?.ToAddresses?.[0]}`);
        case "server-error":
          return error(500, "InternalFailure", "internal failure");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
