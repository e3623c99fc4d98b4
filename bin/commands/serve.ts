import type { ConsoleServer } from "../../lib/console/nodeServer.ts";
import type { LocalRuntime } from "../../scripts/local/runtime.ts";
import type { CliCommand } from "../cli.ts";
import { stateDir } from "../localRuntime.ts";
import { clearServeState, liveServeState, writeServeState } from "../serveState.ts";

/** `asye serve`: keeps the local servers running so every other command answers at once. */
export const serve: CliCommand = {
  name: "serve",
  summary: "Keep the local S3 and DynamoDB running (until Ctrl-C) so every other command answers in about a second, and serve the web console.",
  usage: "asye serve",
  details:
    "Other asye commands find it through a state file (serve.json in the state folder) and use its servers\n" +
    "instead of starting their own; without it each command starts and stops them (4-6 seconds).\n" +
    "It also serves the web console (development sign-in) and prints its URL; ASYE_CONSOLE_PORT fixes the port.",
  positionals: { min: 0, max: 0 },
  async run() {
    const folder = stateDir();
    const running = await liveServeState(folder);
    if (running) {
      console.log(`already serving (pid ${running.pid}): S3 ${running.s3Endpoint}, DynamoDB ${running.dynamodbEndpoint}`);
      return 0;
    }
    const { startLocalRuntime } = await import("../../scripts/local/runtime.ts");
    const runtime = await startLocalRuntime({ stateDir: folder, routeEvents: false });
    const { s3Endpoint, dynamodbEndpoint, bucket, ledgerTable } = runtime.stack;
    writeServeState(folder, { pid: process.pid, startedAt: new Date().toISOString(), s3Endpoint, dynamodbEndpoint, bucket, ledgerTable });
    const consoleServer = await serveConsole(runtime);
    console.log(`serving the local runtime (state in ${folder}): S3 ${s3Endpoint}, DynamoDB ${dynamodbEndpoint}. Ctrl-C stops it.`);
    console.log(`console: ${consoleServer.url}`);
    await new Promise<void>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
    });
    clearServeState(folder);
    await consoleServer.close();
    await runtime.stop();
    console.log("stopped");
    return 0;
  },
};

/**
 * Serves the web console on the runtime's store and ledger (`asye serve`, `npm start -- --serve`).
 * Its recompute button runs the compute function as `asye compute` does, then waits for the work it queued.
 */
export async function serveConsole(runtime: LocalRuntime): Promise<ConsoleServer> {
  const { startLocalConsole } = await import("../../lib/console/localConsole.ts");
  const { createLogger } = await import("../../lib/logging/createLogger.ts");
  return startLocalConsole({
    store: runtime.store,
    ledger: runtime.ledger,
    recipients: runtime.recipients,
    log: createLogger(),
    requestRecompute: async (cycleId) => {
      const { handler } = await import("../../functions/compute.ts");
      await handler({ cycleId });
      await runtime.idle();
    },
  });
}
