import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { setPriority } from "node:os";
import type { TestProject } from "vitest/node";
import { startSharedDynamo } from "../../lib/local/localStack.ts";
import { prepareChromium } from "../../lib/render/launchChromium.ts";
import { exampleWorldFolder } from "./exampleWorld.ts";

/** The builder's niceness: it takes the CPU the test files leave (they run first, and wait for it only at the end). */
const BACKGROUND_PRIORITY = 0;

/**
 * Builds the example cycles once for every test file that reads them (the `examples` project),
 * in a child process, so that the other files run meanwhile; the examples' files run last and
 * each starts its runtime on a copy of what was built (`useExampleRuntime`). The builder and the
 * files share one DynamoDB Local, each with a ledger table of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await prepareChromium();
  const dynamo = await startSharedDynamo();
  const stateDir = exampleWorldFolder();
  const builder = spawn(process.execPath, ["--import", "tsx", "tests/support/buildExampleWorld.ts", stateDir, dynamo.endpoint], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
  });
  // Background work: the files running meanwhile come first (its children, Chromium among them, inherit this).
  if (builder.pid !== undefined) setPriority(builder.pid, BACKGROUND_PRIORITY);
  project.provide("exampleWorld", stateDir);
  project.provide("sharedDynamo", dynamo.endpoint);
  return async () => {
    if (builder.exitCode === null && builder.signalCode === null) {
      const ended = new Promise((resolve) => builder.once("exit", resolve));
      builder.kill();
      await ended;
    }
    await dynamo.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
