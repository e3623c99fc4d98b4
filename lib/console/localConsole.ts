import { randomBytes } from "node:crypto";
import type { ConsoleDeps } from "./consoleDeps.ts";
import { DevAuthenticator } from "./devAuthenticator.ts";
import { type ConsoleServer, startConsoleServer } from "./nodeServer.ts";

/** What the local runtime gives the console: its store, ledger and logger, and how it recomputes a cycle. */
export type LocalConsoleParts = Pick<ConsoleDeps, "store" | "ledger" | "log" | "requestRecompute" | "recipients">;

/**
 * The console on this machine, with the development sign-in. Sessions are signed with
 * ASYE_CONSOLE_SESSION_KEY (base64, at least 32 bytes) when set, else with a key made for this
 * run (signing in again after a restart is the price). Port: ASYE_CONSOLE_PORT, else any free one.
 */
export async function startLocalConsole(parts: LocalConsoleParts, port = Number(process.env.ASYE_CONSOLE_PORT ?? 0)): Promise<ConsoleServer> {
  const configured = process.env.ASYE_CONSOLE_SESSION_KEY;
  const sessionKey = configured ? Buffer.from(configured, "base64") : randomBytes(32);
  if (sessionKey.length < 32) throw new Error("ASYE_CONSOLE_SESSION_KEY must be at least 32 bytes, base64-encoded");
  return startConsoleServer({ ...parts, authenticator: new DevAuthenticator(), sessionKey, now: () => new Date() }, port);
}
