import { describe, expect, it } from "vitest";
import { storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// DynamoDB goes away while an upload is being ingested (its data kept on disk), and comes back.
const runtime = useLocalRuntime({ outages: true, inMemory: false, queue: { functionTimeoutMs: 3_000, maxReceives: 6 }, leaseMarginMs: 500 });

describe("a DynamoDB outage mid-ingest", () => {
  it("is recovered by the next delivery once DynamoDB is back, ingesting the upload exactly once", async () => {
    await storeCycle(runtime(), testCycle("outage"));
    const key = "uploads/outage/leads/big.csv";
    const rows = 300_000;
    const lines = [LEADS_HEADER];
    for (let i = 0; i < rows; i++) lines.push(`o${i},2025-01-20T10:00:00Z,Child and family only,Agree,Disagree,Yes,`);
    await runtime().store.put(key, `${lines.join("\n")}\n`, "text/csv");
    // Cut DynamoDB as soon as the upload is claimed; bring it back a second later.
    const started = Date.now();
    while (!(await runtime().ledger.records(key)).some((r) => r.status === "processing")) {
      if (Date.now() - started > 20_000) throw new Error("the upload was never claimed");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await runtime().stack.stopDynamo();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await runtime().stack.startDynamo();
    await runtime().idle();

    // The first delivery failed, and a later one succeeded.
    expect(runtime().uploadQueue.deliveries.map((d) => d.failure === undefined)).toEqual([false, ...Array(runtime().uploadQueue.deliveries.length - 2).fill(false), true]);
    expect(runtime().failures).toEqual([]);
    const records = await runtime().ledger.records(key);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: "accepted", counts: { rows, accepted: rows, rejected: 0, duplicates: 0 } });
    expect((await runtime().ledger.currentBatches("outage")).map((b) => b.counts.accepted)).toEqual([rows]);
  }, 90_000);
});
