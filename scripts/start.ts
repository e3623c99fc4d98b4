/**
 * `npm start`: the example cycle end to end on this machine. Starts s3rver and DynamoDB Local,
 * stores the example cycle files, uploads the exports through the S3-event path that AWS uses
 * (ingest, then compute), writes the results JSON under out/ and prints a summary.
 * State is kept in .local/state, so a second run re-ingests and gives the same results.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resultsDocumentSchema } from "../lib/results/resultsSchema.ts";
import { summarizeResults } from "../lib/results/summarizeResults.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { EXAMPLE_CYCLES, uploadCycleFolder } from "./local/exampleCycles.ts";
import { startLocalRuntime } from "./local/runtime.ts";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";

const runtime = await startLocalRuntime({ stateDir: ".local/state" });
try {
  for (const cycle of EXAMPLE_CYCLES) {
    await uploadCycleFolder(runtime.store, join("examples", cycle));
    await runtime.idle();
  }
  if (runtime.failures.length > 0) {
    for (const failure of runtime.failures)
      console.error(`failed: ${failure.key}: ${String(failure.error)}`);
    process.exitCode = 1;
  }
  for (const cycle of EXAMPLE_CYCLES) {
    const text = await runtime.store.getText(storageKeys.results(cycle));
    if (text === undefined) throw new Error(`no results were written for ${cycle}`);
    const document = resultsDocumentSchema.parse(JSON.parse(text));
    const path = join("out", cycle, "results.json");
    mkdirSync(join("out", cycle), { recursive: true });
    writeFileSync(path, text);
    const reportPath = join("out", cycle, "report.html");
    writeFileSync(reportPath, (await runtime.store.getText(storageKeys.report(cycle))) ?? "");
    if (cycle === "asye-cf-2025") {
      console.log(summarizeResults(document));
      console.log(`\nResults JSON: ${path} (also in S3 at ${storageKeys.results(cycle)})`);
      console.log(`Report:       ${reportPath} (also in S3 at ${storageKeys.report(cycle)})`);
    }
  }
} finally {
  await runtime.stop();
}
