/**
 * `npm start`: the example cycles end to end on this machine (the annual survey's, then the
 * 360-degree evaluation tool's with its personalised reports). Starts s3rver and DynamoDB Local,
 * stores the example cycle files, uploads the exports through the S3-event path that AWS uses
 * (ingest, then compute), copies the published outputs (JSON, report, workbook, tables' CSV)
 * to out/{cycleId}/ and prints a summary and their paths.
 * State is kept in .local/state, so a second run re-ingests and gives the same results.
 * `npm start -- --serve` then keeps the servers running for `asye` commands until Ctrl-C.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readAll } from "../lib/ports/objectStore.ts";
import { resultsDocumentSchema } from "../lib/survey/results/resultsSchema.ts";
import { summarizeResults } from "../lib/survey/results/summarizeResults.ts";
import { evaluationResultsSchema } from "../lib/evaluation360/evaluationResultsSchema.ts";
import { summarizeEvaluation } from "../lib/evaluation360/summarizeEvaluation.ts";
import { outcomesResultsSchema } from "../lib/outcomes/outcomesResultsSchema.ts";
import { summarizeOutcomes } from "../lib/outcomes/summarizeOutcomes.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { EXAMPLE_CYCLES, uploadCycleFolder } from "./local/exampleCycles.ts";
import { startLocalRuntime } from "./local/runtime.ts";
import { clearServeState, writeServeState } from "../bin/serveState.ts";

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
  for (const cycle of EXAMPLE_CYCLES) {
    // Exactly the published version: the ledger's pointer names its folder and files.
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
    if (cycle === "asye-cf-2025") {
      const document = resultsDocumentSchema.parse(JSON.parse(readFileSync(join("out", cycle, "results.json"), "utf8")));
      console.log(summarizeResults(document));
      const csvs = written.filter((path) => path.endsWith(".csv"));
      console.log(`\nResults JSON: ${join("out", cycle, "results.json")} (also in S3 at ${storageKeys.results(cycle)})`);
      console.log(`Report:       ${join("out", cycle, "report.html")} and ${join("out", cycle, "report.pdf")}`);
      console.log(`Workbook:     ${join("out", cycle, "tables.xlsx")} (cover, contents, notes, one table per sheet)`);
      const tablesCsv = csvs.filter((path) => path.includes(`${join("out", cycle, "tables")}/`));
      const figures = written.filter((path) => path.includes(`${join("out", cycle, "figures")}/`));
      console.log(`Tables (CSV): ${tablesCsv.length} files in ${join("out", cycle, "tables")}/, e.g. ${tablesCsv[0]}`);
      console.log(`Figures:      ${figures.length / (figures.some((f) => f.endsWith(".png")) ? 3 : 2)} figures as SVG, PNG and CSV in ${join("out", cycle, "figures")}/, e.g. ${figures.find((f) => f.endsWith(".png")) ?? figures[0]}`);
    }
    if (cycle === "asye-360-2025") {
      const results = evaluationResultsSchema.parse(JSON.parse(readFileSync(join("out", cycle, "results.json"), "utf8")));
      console.log(`\n${summarizeEvaluation(results)}`);
      const reports = written.filter((path) => path.includes(`${join("out", cycle, "organisations")}/`));
      console.log(`\n360 results JSON: ${join("out", cycle, "results.json")}; national report ${join("out", cycle, "report.html")}; tables in ${join("out", cycle, "tables")}/`);
      console.log(`Personalised:     ${reports.filter((p) => p.endsWith(".pdf")).length} PDF and ${reports.filter((p) => p.endsWith(".html")).length} HTML reports in ${join("out", cycle, "organisations")}/, e.g. ${reports.find((p) => p.endsWith(".pdf")) ?? reports[0]}`);
    }
    if (cycle === "asye-outcomes-2025") {
      const results = outcomesResultsSchema.parse(JSON.parse(readFileSync(join("out", cycle, "results.json"), "utf8")));
      console.log(`\n${summarizeOutcomes(results)}`);
      console.log(`\nOutcomes: ${join("out", cycle, "results.json")}, ${join("out", cycle, "report.html")} and .pdf, ${join("out", cycle, "tables.xlsx")}, tables in ${join("out", cycle, "tables")}/`);
    }
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
  console.log(`\nServing the local runtime for asye commands (S3 ${s3Endpoint}, DynamoDB ${dynamodbEndpoint}). Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  clearServeState(STATE_DIR);
}
