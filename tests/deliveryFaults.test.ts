import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { useLocalRuntime, storeCycle } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Ingest under AWS's delivery semantics: S3 → queue (visibility timeout, dead-letter queue) → a
// worker process that can die mid-file.

/** An export of `rows` valid responses, about 60 bytes each. */
function bigExport(rows: number, prefix: string): string {
  const lines = [LEADS_HEADER];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}${i},2025-01-20T10:00:00Z,Child and family only,Agree,Disagree,Yes,`);
  return `${lines.join("\n")}\n`;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a crashed ingest is delivered again and ingested exactly once", () => {
  // Timings are AWS's scaled down: function timeout 3 s, claims outliving an invocation by 0.5 s,
  // a failed message back after 4.5 s.
  const workers: ChildProcess[] = [];
  const runtime = useLocalRuntime({
    queue: { functionTimeoutMs: 3_000, maxReceives: 4 },
    leaseMarginMs: 500,
    ingestWorker: (worker) => workers.push(worker),
  });

  it("recovers from SIGKILL mid-file through the queue's redelivery", async () => {
    await storeCycle(runtime(), testCycle("crash"));
    const key = "uploads/crash/leads/big.csv";
    const rows = 300_000;
    await runtime().store.put(key, bigExport(rows, "k"), "text/csv");
    // Kill the first worker once it has claimed the upload and is reading it.
    await until(async () => (await runtime().ledger.records(key)).some((r) => r.status === "processing"), 20_000);
    expect(workers).toHaveLength(1);
    workers[0]!.kill("SIGKILL");
    await runtime().idle();

    expect(workers.length).toBeGreaterThanOrEqual(2);
    expect(workers[0]!.signalCode).toBe("SIGKILL");
    // The first delivery failed, and a later one succeeded.
    expect(runtime().uploadQueue.deliveries.map((d) => d.failure === undefined)).toEqual([false, ...Array(runtime().uploadQueue.deliveries.length - 2).fill(false), true]);
    expect(runtime().failures).toEqual([]);
    const [record] = await runtime().ledger.records(key);
    expect(record).toMatchObject({ status: "accepted", counts: { rows, accepted: rows, rejected: 0, duplicates: 0 } });
    const current = await runtime().ledger.currentBatches("crash");
    expect(current.map((batch) => [batch.upload.key, batch.counts.accepted])).toEqual([[key, rows]]);
  }, 60_000);
});

// A message no ingest can read fails on every receive, in the function's own process (no worker
// to kill here); AWS's timings scaled further down, so its four receives take seconds.
describe("a message that always fails", () => {
  const runtime = useLocalRuntime({ queue: { functionTimeoutMs: 1_000, visibilityTimeoutMs: 1_500, maxReceives: 4 }, leaseMarginMs: 200 });

  it("moves a message that always fails to the dead-letter queue after the receive limit", async () => {
    const before = runtime().uploadQueue.deadLetters.length;
    runtime().uploadQueue.send("this is not an S3 notification");
    await runtime().idle();
    const dead = runtime().uploadQueue.deadLetters.slice(before);
    expect(dead).toMatchObject([{ body: "this is not an S3 notification", receives: 4, lastError: "reported as a batch item failure" }]);
    expect(runtime().uploadQueue.deliveries.map((d) => d.failure !== undefined)).toEqual([true, true, true, true]);
  }, 60_000);
});
