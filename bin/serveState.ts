import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { LocalStackAddress } from "../lib/local/localStack.ts";

/** What `asye serve` leaves in the state folder so other commands can use its servers. */
export interface ServeState extends LocalStackAddress {
  pid: number;
  startedAt: string;
}

/** The state file of a serving runtime in a state folder. */
export function serveStateFile(stateDir: string): string {
  return join(stateDir, "serve.json");
}

/** Records a serving runtime (written last, once its servers answer). */
export function writeServeState(stateDir: string, state: ServeState): void {
  writeFileSync(serveStateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the state file, if it is this process's. */
export function clearServeState(stateDir: string, pid = process.pid): void {
  const file = serveStateFile(stateDir);
  if (!existsSync(file)) return;
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as ServeState).pid !== pid) return;
  } catch {
    // An unreadable file is nobody's: remove it.
  }
  rmSync(file, { force: true });
}

/**
 * The serving runtime of a state folder, if one is running: its process is alive and both
 * servers accept a connection within a moment. A file left by a runtime that died is removed.
 */
export async function liveServeState(stateDir: string): Promise<ServeState | undefined> {
  const file = serveStateFile(stateDir);
  if (!existsSync(file)) return undefined;
  let state: ServeState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as ServeState;
    process.kill(state.pid, 0);
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
  const answers = await Promise.all([state.s3Endpoint, state.dynamodbEndpoint].map((endpoint) => accepts(new URL(endpoint))));
  return answers.every(Boolean) ? state : undefined;
}

function accepts(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}
