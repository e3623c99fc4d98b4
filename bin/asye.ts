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
 */
import { readFileSync } from "node:fs";
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
  .slice(2, 12)
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
    default:
      return fail(usage);
  }
}

async function withRuntime(
  run: (runtime: Awaited<ReturnType<typeof startLocalRuntime>>) => Promise<number>,
) {
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
