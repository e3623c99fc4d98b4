/**
 * One benchmark size in its own process (so peak RSS is this size's alone): ingest the export
 * in-process from the file to a discarding sink (parse + validate + encode, one core), then
 * end to end through s3rver and DynamoDB Local (upload not timed; ingest and compute timed).
 * Prints one JSON line.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { coreIngest } from "./coreIngest.ts";
import { fileToResults } from "./fileToResults.ts";
import { syntheticCycle, syntheticExport } from "./syntheticCycle.ts";

const quiet = { info() {}, warn() {}, error() {} };
const rows = Number(process.argv[2]);
const path = await syntheticExport(rows);
const bytes = statSync(path).size;

// 1. The ingest core on one core, then the whole way to the results document in memory.
const config = cycleConfigSchema.parse(syntheticCycle());
const { seconds: coreSeconds, accepted } = await coreIngest(path, config);
const toResults = await fileToResults(path, config);

// 2. End to end against the local servers, loaded only now, so that the core above ran in a
// process holding what an ingest holds and no more (not s3rver, DynamoDB's client or compute).
const { DynamoIngestLedger } = await import("../lib/adapters/dynamoIngestLedger.ts");
const { S3ObjectStore } = await import("../lib/adapters/s3ObjectStore.ts");
const { computeResults } = await import("../lib/survey/compute/computeResults.ts");
const { saveCycleConfig } = await import("../lib/survey/config/surveyCycleStore.ts");
const { ingestUpload } = await import("../lib/ingest/ingestUpload.ts");
const { startLocalStack } = await import("../lib/local/localStack.ts");
const stateDir = mkdtempSync(join(tmpdir(), "asye-bench-"));
const stack = await startLocalStack({ stateDir, inMemory: true });
const store = new S3ObjectStore(stack.clients.s3, stack.bucket);
const ledger = new DynamoIngestLedger(stack.clients.dynamodb, stack.ledgerTable);
await saveCycleConfig(store, JSON.stringify(syntheticCycle()), "bench cycle");
const key = "uploads/bench/nqsws/export.csv";
await store.putStream(key, createReadStream(path), "text/csv");
const stored = await store.getStream(key);
const etag = stored.etag;
// Only the etag was wanted: leaving the body would keep a 600 MB response open (and s3rver logging after it stops).
for await (const _chunk of stored.body) break;
const ingestStart = performance.now();
const outcome = await ingestUpload(
  {
    key,
    etag,
    cycleId: "bench",
    group: "nqsws",
    uploadedAt: new Date().toISOString(),
    sequencer: "0",
  },
  { store, ledger, log: quiet },
);
const ingestSeconds = (performance.now() - ingestStart) / 1000;
const computeStart = performance.now();
const { document } = await computeResults("bench", { store, ledger, log: quiet, now: () => new Date("2025-03-01") });
const computeSeconds = (performance.now() - computeStart) / 1000;
await stack.stop();
rmSync(stateDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    rows,
    megabytes: bytes / 1e6,
    accepted,
    endToEndAccepted: outcome.status === "accepted" ? outcome.record.counts?.accepted : 0,
    coreSeconds,
    ingestSeconds,
    computeSeconds,
    comparisons: document.comparisons.filter((c) => c.pairs.length > 0).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    /** CSV file to results document in one process, no storage (the side-by-side measure). */
    resultsSeconds: toResults.seconds,
    resultsComparisons: toResults.comparisons,
  }),
);
