#!/usr/bin/env -S npx tsx
/**
 * The survey team's command line, on the embedded local runtime (state in .local/state):
 *
 *   asye validate <cycle.json>                      check a cycle file
 *   asye ingest <cycle.json> <group> <export.csv>   store the cycle, upload and ingest one export, recompute
 *   asye compute <cycleId>                          recompute a cycle's results
 *   asye results <cycleId> [--json]                 print the results summary (or the JSON)
 *   asye recipients <cycle.json> <group> <list.csv> store the cycle and a group's recipient list
 *   asye reminders --now <YYYY-MM-DDTHH:MM> [--dry-run]
 *                                                   run the hourly reminders as at that Europe/London time
 *   asye cycles                                     list cycles with their state (report authors)
 *   asye fetch <cycleId> [section] [--out file]     fetch the results, or one section, to a file or stdout
 *   asye report <cycleId>                           write the HTML report to out/{cycleId}/report.html
 * Report authors' commands go through the results API: over HTTPS when ASYE_API_URL and
 * ASYE_API_TOKEN are set, otherwise through the local runtime.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renderReport } from "../lib/report/renderReport.ts";
import { computeResults } from "../lib/compute/computeResults.ts";
import { saveCycleConfig } from "../lib/config/cycleStore.ts";
import { parseCycleConfig } from "../lib/config/parseCycleConfig.ts";
import { CycleConfigError } from "../lib/errors.ts";
import { ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import { resultsDocumentSchema } from "../lib/results/resultsSchema.ts";
import { summarizeResults } from "../lib/results/summarizeResults.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { uploadExport } from "../scripts/local/exampleCycles.ts";
import { startLocalRuntime } from "../scripts/local/runtime.ts";
import { localTimeToInstant } from "../lib/time/zonedTime.ts";
import { loadRecipients } from "../scripts/local/loadRecipients.ts";
import { terminalProgress } from "./terminalProgress.ts";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
const [command, ...args] = process.argv.slice(2);
const usage = readFileSync(new URL(import.meta.url), "utf8")
  .split("\n")
  .slice(2, 18)
  .join("\n")
  .replace(/^ \*/gm, "");

async function main(): Promise<number> {
  switch (command) {
    case "validate": {
      const [file] = args;
      if (!file) return fail(usage);
      const config = parseCycleConfig(readFileSync(file, "utf8"), file);
      const q = config.questionnaire;
      console.log(
        `${file}: valid cycle ${config.id} with ${config.groups.length} groups, ${q.items.length} items, ${q.itemSets.length} item sets, ${q.multiSelect.length} multi-select questions`,
      );
      return 0;
    }
    case "ingest": {
      const [file, group, csv] = args;
      if (!file || !group || !csv) return fail(usage);
      return withRuntime(async (runtime) => {
        const config = await saveCycleConfig(runtime.store, readFileSync(file, "utf8"), file);
        const key = await uploadExport(runtime.store, config.id, group, csv);
        const { etag } = await runtime.store.getStream(key);
        const log = createLogger();
        const outcome = await ingestUpload(
          {
            key,
            etag,
            cycleId: config.id,
            group,
            uploadedAt: new Date().toISOString(),
            sequencer: "",
          },
          { store: runtime.store, ledger: runtime.ledger, log, onProgress: terminalProgress(csv) },
        );
        const record = outcome.record;
        console.log(`${key}: ${outcome.status}${record.reason ? ` - ${record.reason}` : ""}`);
        if (record.counts)
          console.log(
            `  rows ${record.counts.rows}, accepted ${record.counts.accepted}, rejected ${record.counts.rejected}, duplicates ${record.counts.duplicates}`,
          );
        if (record.rejectionReportKey)
          console.log(
            `  rejection report: s3://${runtime.stack.bucket}/${record.rejectionReportKey}`,
          );
        if (outcome.status === "accepted")
          await computeResults(config.id, { store: runtime.store, ledger: runtime.ledger, log });
        return outcome.status === "rejected" ? 1 : 0;
      });
    }
    case "compute":
    case "results": {
      const [cycleId] = args;
      if (!cycleId) return fail(usage);
      return withRuntime(async (runtime) => {
        if (command === "compute") {
          await computeResults(cycleId, {
            store: runtime.store,
            ledger: runtime.ledger,
            log: createLogger(),
          });
        }
        const text = await runtime.store.getText(storageKeys.results(cycleId));
        if (text === undefined)
          return fail(`no results for ${cycleId}: run \`asye compute ${cycleId}\``);
        if (args.includes("--json")) console.log(text);
        else console.log(summarizeResults(resultsDocumentSchema.parse(JSON.parse(text))));
        return 0;
      });
    }
    case "recipients": {
      const [file, group, csv] = args;
      if (!file || !group || !csv) return fail(usage);
      return withRuntime(async (runtime) => {
        const config = await saveCycleConfig(runtime.store, readFileSync(file, "utf8"), file);
        if (!config.groups.some((g) => g.id === group)) return fail(`unknown group "${group}" in ${config.id}`);
        const loaded = await loadRecipients(runtime.recipients, config.id, group, csv, new Date());
        console.log(`${csv}: ${loaded.stored} recipients stored for ${config.id}/${group}, ${loaded.merged} duplicates merged`);
        for (const problem of loaded.problems) console.log(`  row ${problem.row}, ${problem.column} "${problem.value}": ${problem.reason}`);
        return 0;
      });
    }
    case "reminders": {
      const nowArg = args[args.indexOf("--now") + 1];
      if (!args.includes("--now") || !nowArg || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(nowArg)) return fail(usage);
      const [date, time] = nowArg.split("T") as [string, string];
      const now = localTimeToInstant(date, time, "Europe/London");
      return withRuntime(async (runtime) => {
        const summary = await runtime.runReminders(now, args.includes("--dry-run"));
        for (const cycle of summary.cycles) {
          console.log(`${cycle.cycleId}: ${cycle.due ?? "nothing due"}`);
          for (const group of cycle.groups) {
            const skipped = Object.entries(group.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`);
            const done = summary.dryRun ? `would send ${group.wouldSend.length}` : `sent ${group.sent}, failed ${group.failed}`;
            console.log(`  ${group.group}: ${done}${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`);
          }
        }
        return 0;
      });
    }
    case "cycles":
    case "fetch": {
      const [cycleId, maybeSection] = args.filter((arg, i) => !arg.startsWith("--") && args[i - 1] !== "--out");
      if (command === "fetch" && !cycleId) return fail(usage);
      const path = command === "cycles" ? "/cycles" : `/cycles/${cycleId}/results${maybeSection ? `/${maybeSection}` : ""}`;
      const { status, body } = await callApi("GET", path);
      if (status !== 200) return fail(`${status}: ${body}`);
      const pretty = `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
      const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : undefined;
      if (out) {
        writeFileSync(out, pretty);
        console.log(`wrote ${out}`);
      } else process.stdout.write(pretty);
      return 0;
    }
    case "report": {
      const [cycleId] = args;
      if (!cycleId) return fail(usage);
      const { status, body } = await callApi("GET", `/cycles/${cycleId}/results`);
      if (status !== 200) return fail(`${status}: ${body}`);
      const path = join("out", cycleId, "report.html");
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, renderReport(resultsDocumentSchema.parse(JSON.parse(body))));
      console.log(`report: ${resolve(path)}`);
      return 0;
    }
    default:
      return fail(usage);
  }
}

/** Calls the results API: the deployed one when ASYE_API_URL is set, else the local handler. */
async function callApi(method: string, path: string): Promise<{ status: number; body: string }> {
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

async function withRuntime<T>(run: (runtime: Awaited<ReturnType<typeof startLocalRuntime>>) => Promise<T>): Promise<T> {
  const runtime = await startLocalRuntime({ stateDir: ".local/state", routeEvents: false });
  try {
    return await run(runtime);
  } finally {
    await runtime.stop();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof CycleConfigError ? error.message : String(error));
    process.exitCode = 1;
  },
);
