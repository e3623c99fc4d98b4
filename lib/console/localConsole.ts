import { randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { S3UploadSigner } from "../adapters/s3UploadSigner.ts";
import { startPostPolicyGate } from "../local/postPolicyGate.ts";
import type { ConsoleDeps } from "./consoleDeps.ts";
import { DevAuthenticator } from "./devAuthenticator.ts";
import { type ConsoleServer, startConsoleServer } from "./nodeServer.ts";

/** What the local runtime gives the console: its store, ledger and logger, and how it recomputes a cycle. */
export type LocalConsoleParts = Pick<ConsoleDeps, "store" | "ledger" | "log" | "requestRecompute" | "recipients"> & {
  /** The local S3 (s3rver) and bucket staged uploads go to, through the POST-policy gate; without it the console offers no uploads. */
  staging?: { s3: S3Client; bucket: string };
};

/**
 * The console on this machine, with the development sign-in. Sessions are signed with
 * ASYE_CONSOLE_SESSION_KEY (base64, at least 32 bytes) when set, else with a key made for this
 * run (signing in again after a restart is the price). Port: ASYE_CONSOLE_PORT, else any free one.
 */
export async function startLocalConsole(parts: LocalConsoleParts, port = Number(process.env.ASYE_CONSOLE_PORT ?? 0)): Promise<ConsoleServer> {
  const configured = process.env.ASYE_CONSOLE_SESSION_KEY;
  const sessionKey = configured ? Buffer.from(configured, "base64") : randomBytes(32);
  if (sessionKey.length < 32) throw new Error("ASYE_CONSOLE_SESSION_KEY must be at least 32 bytes, base64-encoded");
  const { staging, ...deps } = parts;
  const gate = staging === undefined ? undefined : await startPostPolicyGate(staging.s3, staging.bucket);
  const uploadSigner = staging === undefined || gate === undefined ? undefined : new S3UploadSigner(staging.s3, staging.bucket, gate.url);
  const server = await startConsoleServer({ ...deps, ...(uploadSigner ? { uploadSigner } : {}), authenticator: new DevAuthenticator(), sessionKey, now: () => new Date() }, port);
  return {
    url: server.url,
    async close() {
      await server.close();
      await gate?.close();
    },
  };
}
