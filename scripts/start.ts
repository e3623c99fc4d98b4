/**
 * `npm start`: the example cycles end to end on this machine (the annual survey's, then the
 * 360-degree evaluation tool's with its personalised reports). Starts s3rver and DynamoDB Local,
 * stores the example cycle files, uploads the exports through the S3-event path that AWS uses
 * (ingest, then compute), copies the published outputs (JSON, report, workbook, tables' CSV)
 * to out/{cycleId}/ and prints a summary and their paths.
 * State is kept in .local/state, so a second run re-ingests and gives the same results.
 * `npm start -- --serve` then keeps the servers running for `asye` commands until Ctrl-C, and
 * serves the web console (its URL is printed) over the example cycles.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadCycle } from "../lib/config/cycleStore.ts";
import { readAll } from "../lib/ports/objectStore.ts";
import { EXAMPLE_CYCLES, SUMMARIZED_CYCLES, uploadCycleFolder } from "./local/exampleCycles.ts";
import { type LocalRuntime, startLocalRuntime } from "./local/runtime.ts";
import { clearServeState, writeServeState } from "../bin/serveState.ts";
import { serveConsole } from "../bin/commands/serve.ts";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";

const STATE_DIR = ".local/state";
const serve = process.argv.includes("--serve");
const runtime = await startLocalRuntime({ stateDir: STATE_DIR, renderPdf: true });
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
  let first = true;
  for (const cycle of EXAMPLE_CYCLES) {
    const written = await copyPublished(runtime, cycle);
    if (!SUMMARIZED_CYCLES.includes(cycle)) continue;
    // The summary and the guide to the files, as the cycle's kind words them.
    const { type } = await loadCycle(runtime.store, cycle);
    const document = type.resultsSchema.parse(JSON.parse(readFileSync(join("out", cycle, "results.json"), "utf8")));
    console.log(`${first ? "" : "\n"}${type.summarize(document)}`);
    for (const line of type.describeOutputs(cycle, join("out", cycle), written)) console.log(line);
    first = false;
  }
  if (serve) await serveUntilStopped();
} finally {
  await runtime.stop();
}

/**
 * `npm start -- --serve`: keeps the servers running for `asye` commands (which find them through
 * the state file) until Ctrl-C. They ingest and compute themselves, so events are no longer routed here.
 */
async function serveUntilStopped(): Promise<void> {
  runtime.routeEvents(false);
  const { s3Endpoint, dynamodbEndpoint, bucket, ledgerTable } = runtime.stack;
  writeServeState(STATE_DIR, { pid: process.pid, startedAt: new Date().toISOString(), s3Endpoint, dynamodbEndpoint, bucket, ledgerTable });
  const consoleServer = await serveConsole(runtime);
  console.log(`\nServing the local runtime for asye commands (S3 ${s3Endpoint}, DynamoDB ${dynamodbEndpoint}). Ctrl-C stops it.`);
  console.log(`Console (sign in as the survey team or a report author): ${consoleServer.url}`);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  clearServeState(STATE_DIR);
  await consoleServer.close();
}

/** Copies exactly the published version (the ledger's pointer names its folder and files) to out/{cycleId}/; returns the paths written. */
async function copyPublished(runtime: LocalRuntime, cycle: string): Promise<string[]> {
  const publication = await runtime.ledger.published(cycle);
  if (publication?.folder === undefined || publication.files === undefined) throw new Error(`no results were published for ${cycle}`);
  const written: string[] = [];
  for (const name of publication.files) {
    const bytes = await readAll((await runtime.store.getStream(`${publication.folder}/${name}`)).body);
    const path = join("out", cycle, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    written.push(path);
  }
  return written;
}
