import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_CYCLES, uploadCycleFolder } from "../../scripts/local/exampleCycles.ts";
import { startLocalRuntime } from "../../scripts/local/runtime.ts";

/**
 * The example cycles in rounds: those of a round are built at the same time, and a cycle comes
 * after the one it reads last year's results from.
 */
const ROUNDS: readonly (readonly (typeof EXAMPLE_CYCLES)[number][])[] = [
  ["asye-cf-2024", "asye-360-2024", "asye-outcomes-2025"],
  ["asye-cf-2025", "asye-360-2025"],
];

/**
 * Builds the example cycles once, as `npm start` does (every export uploaded through the S3-event
 * path, ingested and computed), in a state folder of its own: s3rver's objects and DynamoDB
 * Local's database on disk. Nothing is printed to PDF: the one test that reads a PDF has compute
 * print it on its own copy. Returns the folder.
 */
export async function buildExampleWorld(): Promise<string> {
  const unbuilt = EXAMPLE_CYCLES.filter((cycle) => !ROUNDS.some((round) => round.includes(cycle)));
  if (unbuilt.length > 0) throw new Error(`example cycles in no round of the test world: ${unbuilt.join(", ")}`);
  const stateDir = mkdtempSync(join(tmpdir(), "asye-examples-"));
  // The 360 tool's reports are rendered many at a time, as Lambda does (no PDFs: each is a little HTML).
  const runtime = await startLocalRuntime({ stateDir, renderPdf: false, reportQueue: { maxConcurrency: 8 } });
  try {
    for (const round of ROUNDS) {
      await Promise.all(round.map((cycle) => uploadCycleFolder(runtime.store, join("examples", cycle))));
      await runtime.idle();
    }
    if (runtime.failures.length > 0) throw new Error(`the example cycles did not build: ${runtime.failures.map((f) => `${f.key}: ${String(f.error)}`).join("; ")}`);
  } finally {
    await runtime.stop();
  }
  return stateDir;
}

/** A copy of the built world for one test file, which may change it freely; removed by `dispose`. */
export function copyExampleWorld(stateDir: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "asye-examples-copy-"));
  cpSync(stateDir, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
