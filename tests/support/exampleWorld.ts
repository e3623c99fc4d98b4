import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, ScanCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { join } from "node:path";
import { EXAMPLE_CYCLES, uploadCycleFolder } from "../../scripts/local/exampleCycles.ts";
import { startLocalRuntime } from "../../scripts/local/runtime.ts";

/**
 * The example cycles in rounds: those of a round are built at the same time, and a cycle comes
 * after the one it reads last year's results from. Only the last round's computes print to PDF
 * (the survey's 2025 report and its figures' PNGs, which the report test reads): printing is
 * switched for a whole round, and the 360 tool's 304 personalised PDFs are read by no test.
 */
const ROUNDS: readonly { cycles: readonly (typeof EXAMPLE_CYCLES)[number][]; printed: boolean }[] = [
  { cycles: ["asye-cf-2024", "asye-360-2024", "asye-outcomes-2025"], printed: false },
  { cycles: ["asye-360-2025"], printed: false },
  { cycles: ["asye-cf-2025"], printed: true },
];

/**
 * Builds the example cycles once, as `npm start` does (every export uploaded through the S3-event
 * path and ingested), then computes each cycle once, as the compute function does when invoked
 * on demand (a cycle of three uploads is not computed three times, nor printed three times):
 * s3rver's objects in `stateDir`, the ledger in the table {@link WORLD_LEDGER} of the DynamoDB
 * Local at `dynamodbEndpoint`.
 */
export async function buildExampleWorld(stateDir: string, dynamodbEndpoint: string): Promise<void> {
  const unbuilt = EXAMPLE_CYCLES.filter((cycle) => !ROUNDS.some((round) => round.cycles.includes(cycle)));
  if (unbuilt.length > 0) throw new Error(`example cycles in no round of the test world: ${unbuilt.join(", ")}`);
  // The 360 tool's reports are rendered many at a time, as Lambda does (no PDFs: each is a little HTML).
  const runtime = await startLocalRuntime({ stateDir, dynamodbEndpoint, ledgerTable: WORLD_LEDGER, renderPdf: false, reportQueue: { maxConcurrency: 8 }, routeEvents: "uploads" });
  const { handler: compute } = await import("../../functions/compute.ts");
  try {
    for (const round of ROUNDS) {
      runtime.renderPdf(round.printed);
      await Promise.all(round.cycles.map((cycle) => uploadCycleFolder(runtime.store, join("examples", cycle))));
      await runtime.idle();
      await Promise.all(round.cycles.map((cycleId) => compute({ cycleId })));
      await runtime.idle();
    }
    if (runtime.failures.length > 0) throw new Error(`the example cycles did not build: ${runtime.failures.map((f) => `${f.key}: ${String(f.error)}`).join("; ")}`);
  } finally {
    await runtime.stop();
  }
}

/** The ledger table of the built world, which each examples file copies into a table of its own. */
export const WORLD_LEDGER = "ledger-world";

/** How often a test file looks whether the world is built yet. */
const POLL_MS = 200;

/**
 * Resolves once the world in `stateDir` is built (its `ready` mark), or rejects with the reason
 * the build failed. The examples' files run after every other file, so this seldom waits.
 */
export async function exampleWorldBuilt(stateDir: string): Promise<void> {
  while (!existsSync(join(stateDir, "ready"))) {
    if (existsSync(join(stateDir, "failed"))) throw new Error(`the example cycles did not build: ${readFileSync(join(stateDir, "failed"), "utf8")}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A fresh folder for the world to be built in. */
export function exampleWorldFolder(): string {
  return mkdtempSync(join(tmpdir(), "asye-examples-"));
}

/** Copies every item of the world's ledger table into `table` (of the same DynamoDB), 25 to a request. */
export async function copyWorldLedger(client: DynamoDBClient, table: string): Promise<void> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: WORLD_LEDGER, ExclusiveStartKey: start }));
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, WriteRequest[]> | undefined = { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (requests && Object.keys(requests).length > 0) requests = (await client.send(new BatchWriteItemCommand({ RequestItems: requests }))).UnprocessedItems;
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** A copy of the built world's objects for one test file, which may change them freely; removed by `dispose`. */
export function copyExampleWorld(stateDir: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "asye-examples-copy-"));
  cpSync(stateDir, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
