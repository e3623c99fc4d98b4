/**
 * Builds the example cycles into the folder given, with their ledger in the DynamoDB Local given
 * (a child process of the examples project's global setup, so the other test files run while it
 * builds), then writes `ready` in the folder, or `failed` with the reason.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildExampleWorld } from "./exampleWorld.ts";

const [stateDir, dynamodbEndpoint] = process.argv.slice(2) as [string, string];
try {
  await buildExampleWorld(stateDir, dynamodbEndpoint);
  writeFileSync(join(stateDir, "ready"), "");
} catch (error) {
  writeFileSync(join(stateDir, "failed"), String(error instanceof Error ? (error.stack ?? error.message) : error));
  process.exitCode = 1;
}
