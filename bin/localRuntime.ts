import type { LocalRuntime } from "../scripts/local/runtime.ts";
import { liveServeState } from "./serveState.ts";

/** The state folder of the local runtime: ASYE_STATE_DIR, or .local/state. */
export function stateDir(): string {
  return process.env.ASYE_STATE_DIR ?? ".local/state";
}

/**
 * Runs `work` on the local runtime (s3rver + DynamoDB Local, state in .local/state or
 * ASYE_STATE_DIR): the one `asye serve` (or `npm start -- --serve`) keeps running, when there
 * is one, else servers started for this command and stopped after it.
 */
export async function withRuntime<T>(work: (runtime: LocalRuntime) => Promise<T>): Promise<T> {
  const serving = await liveServeState(stateDir());
  if (serving) console.error(`(using the local runtime served by process ${serving.pid})`);
  // Loaded here, not at start: commands that need no servers (help, validate, check) start faster.
  const { startLocalRuntime } = await import("../scripts/local/runtime.ts");
  const runtime = await startLocalRuntime({ stateDir: stateDir(), routeEvents: false, ...(serving ? { attach: serving } : {}) });
  try {
    return await work(runtime);
  } finally {
    await runtime.stop();
  }
}

/** Calls the results API: the deployed one when ASYE_API_URL is set, else the local handler. */
export async function callApi(method: string, path: string): Promise<{ status: number; body: string }> {
  const url = process.env.ASYE_API_URL;
  if (url) {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${process.env.ASYE_API_TOKEN ?? ""}` },
    });
    return { status: response.status, body: await response.text() };
  }
  return withRuntime(async (runtime) => {
    const response = await runtime.apiRequest(method, path, { authorization: `Bearer ${runtime.apiToken}` });
    return { status: response.statusCode ?? 500, body: response.body ?? "" };
  });
}
