import { describe, expect, it } from "vitest";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import type { IngestLedger } from "../lib/ports/ingestLedger.ts";
import type { ObjectStore } from "../lib/ports/objectStore.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { recordingLogger, storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Results under overlapping computes, crashes between outputs, and damaged documents.
const runtime = useLocalRuntime();
const log = recordingLogger();

const leadsExport = (n: number) => [LEADS_HEADER, ...Array.from({ length: n }, (_, i) => `l${i},2025-01-20T10:00:00Z,Child and family only,Agree,Agree,Yes,`)].join("\n");
const nqswsExport = (n: number) =>
  ["response_id,submitted_at,service_area,Q1 Impact,Q2 Clarity,Ethnicity", ...Array.from({ length: n }, (_, i) => `n${i},2025-01-20T10:00:00Z,Child and family only,Agree,Agree,White`)].join("\n");

const responses = (document: { responseRates: { groups: { group: string; responses: number }[] } }, group: string) =>
  document.responseRates.groups.find((g) => g.group === group)?.responses;

async function publishedText(cycleId: string): Promise<string | undefined> {
  return runtime().store.getText(storageKeys.results(cycleId));
}

describe("results never go backwards", () => {
  it("keeps the newer results when an older compute finishes last", async () => {
    await storeCycle(runtime(), testCycle("overlap"));
    await runtime().store.put("uploads/overlap/leads/a.csv", leadsExport(40), "text/csv");
    await runtime().idle();

    // Compute A reads the ledger (leads only), then stalls until B has published.
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const ledger = runtime().ledger;
    const slowLedger: IngestLedger = Object.assign(Object.create(ledger) as IngestLedger, {
      currentBatches: async (cycleId: string) => {
        const batches = await ledger.currentBatches(cycleId);
        await stalled;
        return batches;
      },
    });
    const computeA = computeResults("overlap", { store: runtime().store, ledger: slowLedger, log });

    // Meanwhile the NQSWs' export becomes current and compute B (run by its receipt) publishes it.
    await runtime().store.put("uploads/overlap/nqsws/n.csv", nqswsExport(50), "text/csv");
    await runtime().idle();
    const newer = JSON.parse((await publishedText("overlap"))!);
    expect(responses(newer, "nqsws")).toBe(50);

    release();
    const a = await computeA;
    expect(a.published).toBe(false);
    expect(responses(a.document, "nqsws")).toBe(0);
    const standing = JSON.parse((await publishedText("overlap"))!);
    expect(responses(standing, "nqsws")).toBe(50);
    expect(standing.provenance.generation).toBeGreaterThan(a.document.provenance.generation);
    const api = await runtime().apiRequest("GET", "/cycles/overlap/results/response-rates", { authorization: `Bearer ${runtime().apiToken}` });
    expect(JSON.parse(api.body!)["response-rates"].groups.find((g: { group: string }) => g.group === "nqsws").responses).toBe(50);
  });

  it("leaves the published JSON and report as they were when a compute dies between writing them", async () => {
    const before = { json: await publishedText("overlap"), report: await runtime().store.getText(storageKeys.report("overlap")) };
    const store = runtime().store;
    const dying: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      put: async (key: string, body: string | Uint8Array, type: string) => {
        if (key.endsWith("report.html")) throw new Error("the function was stopped here");
        return store.put(key, body, type);
      },
    });
    await expect(computeResults("overlap", { store: dying, ledger: runtime().ledger, log })).rejects.toThrow("stopped here");
    expect(await publishedText("overlap")).toBe(before.json);
    expect(await runtime().store.getText(storageKeys.report("overlap"))).toBe(before.report);
    const published = await runtime().ledger.published("overlap");
    expect(await runtime().store.getText(published!.resultsKey)).toBe(before.json);
  });
});

describe("one damaged results document breaks nothing else", () => {
  it("lists every cycle and computes the next one when a cycle's results are corrupt", async () => {
    await storeCycle(runtime(), testCycle("damaged-2024"));
    await runtime().store.put("uploads/damaged-2024/leads/a.csv", leadsExport(40), "text/csv");
    await storeCycle(runtime(), testCycle("damaged-2025", { previousCycleId: "damaged-2024" }));
    await runtime().store.put("uploads/damaged-2025/leads/a.csv", leadsExport(35), "text/csv");
    await runtime().idle();
    const published = await runtime().ledger.published("damaged-2024");
    await runtime().store.put(published!.resultsKey, '{"schemaVersion": 1, "cycle": {', "application/json");

    const list = await runtime().apiRequest("GET", "/cycles", { authorization: `Bearer ${runtime().apiToken}` });
    expect(list.statusCode).toBe(200);
    const cycles = JSON.parse(list.body!).cycles as { id: string; computed: unknown }[];
    expect(cycles.find((c) => c.id === "damaged-2024")!.computed).toBeNull();
    expect(cycles.find((c) => c.id === "damaged-2025")!.computed).not.toBeNull();

    const next = await computeResults("damaged-2025", { store: runtime().store, ledger: runtime().ledger, log });
    expect(next.published).toBe(true);
    expect(log.lines.some((line) => line.message.includes("previous cycle's results are unreadable"))).toBe(true);
  });
});

describe("cycle ids", () => {
  it("refuses a cycle file stored under another cycle's key, and ids over 64 characters", async () => {
    await runtime().store.put(storageKeys.cycleConfig("posing"), JSON.stringify(testCycle("someone-else")), "application/json");
    await runtime().store.put("uploads/posing/leads/a.csv", leadsExport(40), "text/csv");
    await runtime().idle();
    const [record] = await runtime().ledger.records("uploads/posing/leads/a.csv");
    expect(record!.status).toBe("rejected");
    expect(record!.reason).toContain('id: "someone-else" does not match the key it is stored under (cycles/posing/cycle.json)');
    await expect(storeCycle(runtime(), testCycle("x".repeat(5000)))).rejects.toThrow("id: Too big: expected string to have <=64 characters");
  });
});
