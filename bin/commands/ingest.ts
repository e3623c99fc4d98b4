import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ALL_ORGANISATIONS_SLOT } from "../../lib/evaluation360/allOrganisationsSlot.ts";
import { type CliCommand, UsageError } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";
import { terminalProgress } from "../terminalProgress.ts";

/** `asye ingest`: uploads and ingests one export on the local runtime, then recomputes. */
export const ingest: CliCommand = {
  name: "ingest",
  summary: "Store the cycle file, upload one group's export, ingest it and recompute the results.",
  usage: "asye ingest <cycle.json> <group> <export>",
  details:
    "Uploading the same file again makes it the group's current export again (as a new S3 upload would).\n" +
    `For a 360 cycle the group is "${ALL_ORGANISATIONS_SLOT}" (every organisation) or one organisation's id; its\n` +
    "personalised reports are rendered through the report queue before the command ends.\n" +
    "Exits 1 when the file is refused; the rejection report is written to out/{cycle}/rejects/.",
  positionals: { min: 3, max: 3 },
  async run(_values, [cycleFile, group, exportFile]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { saveCycle } = await import("../../lib/config/cycleStore.ts");
    const { ingestUpload } = await import("../../lib/ingest/ingestUpload.ts");
    const { createLogger } = await import("../../lib/logging/createLogger.ts");
    const { uploadExport } = await import("../../scripts/local/exampleCycles.ts");
    return withRuntime(async (runtime) => {
      const cycle = await saveCycle(runtime.store, readFileSync(cycleFile!, "utf8"), cycleFile!);
      const config = cycle.config;
      const { noun, names: places } = cycle.type.uploadPlaces(config);
      if (!places.includes(group!)) throw new UsageError(`unknown group "${group}" in ${config.id} (${noun}: ${places.slice(0, 6).join(", ")}${places.length > 6 ? ", …" : ""})`);
      const key = await uploadExport(runtime.store, config.id, group!, exportFile!, cycle.type.isPersonalPlace(config, group!));
      const { etag } = await runtime.store.getStream(key);
      const log = createLogger();
      // Each run is a new upload event, as S3 gives a new sequencer to every put: a file uploaded
      // again becomes current again rather than being skipped as already done.
      const now = new Date();
      const sequencer = now.getTime().toString(16).toUpperCase().padStart(16, "0");
      const outcome = await ingestUpload(
        { key, etag, cycleId: config.id, group: group!, uploadedAt: now.toISOString(), sequencer },
        // The same dependencies as the Lambda handler, the recipient store included (tokens mark responses).
        { store: runtime.store, ledger: runtime.ledger, recipients: runtime.recipients, log, onProgress: terminalProgress(exportFile!) },
      );
      const record = outcome.record;
      console.log(`${exportFile}: ${outcome.status}${outcome.status === "accepted" && !outcome.current ? " (a later upload stays current)" : ""}${record.reason ? `: ${record.reason}` : ""}`);
      if (record.counts) console.log(`  rows ${record.counts.rows}, accepted ${record.counts.accepted}, rejected ${record.counts.rejected}, duplicates ${record.counts.duplicates}${record.counts.incomplete ? `, incomplete (left out) ${record.counts.incomplete}` : ""}`);
      if (record.rejectionReportKey) {
        const report = await runtime.store.getText(record.rejectionReportKey);
        const path = join("out", config.id, "rejects", `${group}-${etag.replace(/[^A-Za-z0-9]/g, "")}.json`);
        mkdirSync(join("out", config.id, "rejects"), { recursive: true });
        writeFileSync(path, report ?? "");
        console.log(`  rejection report: ${resolve(path)}`);
      }
      if (outcome.status === "rejected" || outcome.status === "busy") return 1;
      // The compute function as the ingest receipt invokes it; a 360 cycle's reports follow through the queue.
      const { handler: compute } = await import("../../functions/compute.ts");
      const [computed] = await compute({ cycleId: config.id });
      await runtime.idle();
      if (runtime.failures.length > 0) {
        for (const failure of runtime.failures) console.error(`  failed: ${failure.key}: ${String(failure.error)}`);
        return 1;
      }
      console.log(`  results recomputed (${computed!.status}); \`asye results ${config.id}\` prints them`);
      return 0;
    });
  },
};
