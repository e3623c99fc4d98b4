import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Ingest in a worker process, as the local runtime runs it for the delivery tests: the worker's
// reply must reach the queue whatever the worker logs (issue 20: INFO logs on stdout, which
// carried the reply too, made every delivery fail).

describe("ingest in a worker process that logs at INFO", () => {
  const logs: string[] = [];
  const workers: ChildProcess[] = [];
  const runtime = useLocalRuntime({
    queue: { functionTimeoutMs: 10_000, maxReceives: 2 },
    ingestWorker: (worker) => {
      workers.push(worker);
      worker.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    },
  });
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  afterEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = level;
  });

  it("ingests the upload once and the reply parses, with the worker's log lines on its stdout", async () => {
    // Read by the worker's logger when it starts (the tests' own processes log nothing).
    process.env.POWERTOOLS_LOG_LEVEL = "INFO";
    await storeCycle(runtime(), testCycle("logged"));
    const key = "uploads/logged/leads/export.csv";
    const rows = ["r1", "r2", "r3"].map((id) => `${id},2025-01-20T10:00:00Z,Child and family only,Agree,Disagree,Yes,`);
    await runtime().store.put(key, `${[LEADS_HEADER, ...rows].join("\n")}\n`, "text/csv");
    await runtime().idle();

    expect(workers).toHaveLength(1);
    expect(runtime().uploadQueue.deliveries).toEqual([expect.not.objectContaining({ failure: expect.anything() })]);
    expect(runtime().failures).toEqual([]);
    const [record] = await runtime().ledger.records(key);
    expect(record).toMatchObject({ status: "accepted", counts: { rows: 3, accepted: 3, rejected: 0 } });
    // The worker did log at INFO, on stdout, and none of it was taken for the reply.
    const lines = logs.join("").split("\n").filter((line) => line.trim() !== "");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toContain("INFO");
  }, 60_000);
});
