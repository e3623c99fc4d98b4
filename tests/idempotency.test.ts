import { beforeAll, describe, expect, it } from "vitest";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import { ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { recordingLogger, storeCycle, uploadRef, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Events are not routed here: each test delivers them itself, as often and as concurrently as it likes.
const runtime = useLocalRuntime({ routeEvents: false });
const log = recordingLogger();
const deps = () => ({ store: runtime().store, ledger: runtime().ledger, log });
const closed = () => new Date("2025-03-01T12:00:00Z");

const rows = (n: number, prefix: string) =>
  Array.from(
    { length: n },
    (_, i) => `${prefix}${i},2025-01-20T10:00:00Z,Child and family only,Agree,Agree,Yes,`,
  );

async function put(key: string, lines: string[]): Promise<string> {
  await runtime().store.put(key, [LEADS_HEADER, ...lines].join("\n"), "text/csv");
  return (await runtime().store.getStream(key)).etag;
}

async function leadsResponses(cycleId: string): Promise<number> {
  const { document } = await computeResults(cycleId, { ...deps(), now: closed });
  return document.responseRates.groups.find((g) => g.group === "leads")!.responses;
}

describe("idempotent ingest", () => {
  beforeAll(async () => {
    for (const id of ["twice", "at-once", "corrected"]) await storeCycle(runtime(), testCycle(id));
  });

  it("processes the same event delivered twice once", async () => {
    const key = "uploads/twice/leads/export.csv";
    const upload = uploadRef(key, await put(key, rows(40, "a")));
    const first = await ingestUpload(upload, deps());
    const second = await ingestUpload(upload, deps());
    expect(first.status).toBe("accepted");
    expect(second.status).toBe("already-done");
    expect(await runtime().ledger.records(key)).toHaveLength(1);
    expect(await leadsResponses("twice")).toBe(40);
  });

  it("processes two concurrent deliveries of the same event once", async () => {
    const key = "uploads/at-once/leads/export.csv";
    const upload = uploadRef(key, await put(key, rows(35, "b")));
    const outcomes = await Promise.all([
      ingestUpload(upload, deps()),
      ingestUpload(upload, deps()),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["accepted", "busy"]);
    expect(await leadsResponses("at-once")).toBe(35);
  });

  it("lets a corrected re-upload replace the earlier export, and never the other way round", async () => {
    const firstKey = "uploads/corrected/leads/export.csv";
    const first = uploadRef(firstKey, await put(firstKey, rows(50, "c")), {
      uploadedAt: "2025-03-01T10:00:00.000Z",
    });
    const secondKey = "uploads/corrected/leads/export-corrected.csv";
    const second = uploadRef(secondKey, await put(secondKey, rows(45, "c")), {
      uploadedAt: "2025-03-02T10:00:00.000Z",
    });

    await ingestUpload(first, deps());
    expect(await leadsResponses("corrected")).toBe(50);
    const corrected = await ingestUpload(second, deps());
    expect(corrected).toMatchObject({ status: "accepted", current: true });
    expect(await leadsResponses("corrected")).toBe(45);

    // A late re-delivery of the first upload's event (a new delivery target) must not win.
    const late = await ingestUpload({ ...first, sequencer: "00000000000000000009" }, deps());
    expect(late).toMatchObject({ status: "accepted", current: false });
    expect(await leadsResponses("corrected")).toBe(45);
  });

  it("lets a retry take over an upload whose worker died mid-way once its lease has expired", async () => {
    await storeCycle(runtime(), testCycle("lease"));
    const key = "uploads/lease/leads/export.csv";
    const upload = uploadRef(key, await put(key, rows(31, "d")));
    const start = new Date("2025-03-01T10:00:00Z");
    expect(await runtime().ledger.claim(upload, start, 60_000)).toEqual({ outcome: "claimed" });
    expect(
      (await ingestUpload(upload, { ...deps(), now: () => new Date(start.getTime() + 1_000) }))
        .status,
    ).toBe("busy");
    const retried = await ingestUpload(upload, {
      ...deps(),
      now: () => new Date(start.getTime() + 61_000),
    });
    expect(retried.status).toBe("accepted");
    expect(await leadsResponses("lease")).toBe(31);
  });
});
