import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveCycle } from "../lib/config/cycleStore.ts";
import { registerCycleKind } from "../lib/kinds/registry.ts";
import { useLocalRuntime } from "./support/harness.ts";
import { headcountKind } from "./support/headcount/kind.ts";

const runtime = useLocalRuntime();
const json = (response: { body?: string }) => JSON.parse(response.body ?? "null");
const get = (path: string) => runtime().apiRequest("GET", path, { authorization: `Bearer ${runtime().apiToken}` });

let unregister: () => void;
beforeAll(() => {
  unregister = registerCycleKind(headcountKind);
});
afterAll(() => unregister());

describe("a fourth kind of cycle: a folder and one registration", () => {
  it("runs end to end through the local runtime: upload, queue, ingest, compute, publication, API", async () => {
    // Prepare: the cycle file names the new kind; the upload goes where S3 notifications go.
    await saveCycle(runtime().store, JSON.stringify({ kind: "headcount", id: "heads-2025", title: "Head count 2025" }), "heads.json");
    await runtime().store.put("uploads/heads-2025/counts/teams.csv", "team,people\nnorth,12\nsouth,7\nnorth,3\neast,lots\n", "text/csv");

    // Act: the S3 event goes through the upload queue to ingest, whose receipt triggers compute.
    await runtime().idle();

    // Assess: the ledger, the published files and every API door.
    expect(runtime().failures).toEqual([]);
    const [record] = await runtime().ledger.records("uploads/heads-2025/counts/teams.csv");
    expect(record).toMatchObject({ status: "accepted", counts: { rows: 4, accepted: 3, rejected: 1, duplicates: 0 } });
    const report = JSON.parse((await runtime().store.getText(record!.rejectionReportKey!))!);
    expect(report.problems).toEqual([{ row: 5, column: "people", value: "lots", expected: "a whole number" }]);

    const list = json(await get("/cycles")).cycles as { id: string; kind: string; computed: unknown }[];
    expect(list.find((c) => c.id === "heads-2025")).toMatchObject({ kind: "headcount", computed: { total: 22 } });
    expect(json(await get("/cycles/heads-2025/results"))).toMatchObject({ kind: "headcount", total: 22, teams: [{ team: "north", people: 15 }, { team: "south", people: 7 }] });
    expect(json(await get("/cycles/heads-2025/results/teams")).teams).toEqual([{ team: "north", people: 15 }, { team: "south", people: 7 }]);
    expect(json(await get("/cycles/heads-2025/results/items"))).toMatchObject({ message: 'section "items": a section is one of teams' });
    const table = await get("/cycles/heads-2025/files/headcount.csv");
    expect(Buffer.from(table.body ?? "", table.isBase64Encoded ? "base64" : "utf8").toString()).toBe("team,people\nnorth,15\nsouth,7\n");
  });

  it("is refused at a place it does not have, and re-ingested and recomputed through the API", async () => {
    await runtime().store.put("uploads/heads-2025/elsewhere/teams.csv", "team,people\nwest,1\n", "text/csv");
    await runtime().idle();
    const [misplaced] = await runtime().ledger.records("uploads/heads-2025/elsewhere/teams.csv");
    expect(misplaced).toMatchObject({ status: "rejected", reason: "head counts of heads-2025 go to uploads/heads-2025/counts/" });

    const rerun = await runtime().apiRequest("POST", "/cycles/heads-2025/ingest", { authorization: `Bearer ${runtime().ingestToken}` });
    expect(rerun.statusCode).toBe(200);
    expect(json(rerun)).toMatchObject({ uploads: [{ group: "counts", status: "accepted" }], status: "22 people" });
  });
});
