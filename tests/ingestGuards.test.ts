import { beforeAll, describe, expect, it } from "vitest";
import { tallyBatch } from "../lib/survey/compute/tallyBatch.ts";
import type { RejectionReport } from "../lib/ingest/rejectionReport.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// What the survey team's hand edits do to an export, and what ingest must do about it.
const runtime = useLocalRuntime();

/** Uploads bytes through S3 (the event triggers ingest) and returns the ledger record and report. */
async function upload(key: string, body: string | Uint8Array) {
  await runtime().store.put(key, body, "text/csv");
  await runtime().idle();
  const record = (await runtime().ledger.records(key)).at(-1)!;
  const reportText = record.rejectionReportKey ? await runtime().store.getText(record.rejectionReportKey) : undefined;
  return { record, report: reportText ? (JSON.parse(reportText) as RejectionReport) : undefined };
}

const row = (id: string, impact = "Agree", clarity = "Strongly agree", retaining = "Yes", date = "2025-01-20T10:00:00Z") =>
  `${id},${date},Child and family only,${impact},${clarity},${retaining},`;
const goodFile = (n: number, prefix = "r") => [LEADS_HEADER, ...Array.from({ length: n }, (_, i) => row(`${prefix}${i + 1}`))].join("\n");

async function resultsText(cycleId: string): Promise<string | undefined> {
  return runtime().store.getText(storageKeys.results(cycleId));
}

describe("an upload never makes published results worse without saying so", () => {
  beforeAll(async () => {
    await storeCycle(runtime(), testCycle("guarded"));
    const { record } = await upload("uploads/guarded/leads/good.csv", goodFile(40));
    expect(record.status).toBe("accepted");
  });

  it("refuses an upload whose rows are all rejected (numeric codes), keeping the current batch and results", async () => {
    const before = { batches: await runtime().ledger.currentBatches("guarded"), results: await resultsText("guarded") };
    const coded = [LEADS_HEADER, ...Array.from({ length: 40 }, (_, i) => row(`c${i}`, "2", "1", "1"))].join("\n");
    const { record, report } = await upload("uploads/guarded/leads/coded.csv", coded);
    expect(record.status).toBe("rejected");
    expect(record.reason).toContain("no row is valid: the upload is refused and the group's current results stay as they were");
    expect(record.counts).toEqual({ rows: 40, accepted: 0, rejected: 40, duplicates: 0 });
    expect(report!.fileRejected).toBe(record.reason);
    expect(report!.problems[0]).toEqual({ row: 2, column: "Impact", value: "2", expected: 'one of "Strongly agree", "Agree", "Disagree", "Don\'t know", or blank' });
    expect(await runtime().ledger.currentBatches("guarded")).toEqual(before.batches);
    expect(await resultsText("guarded")).toBe(before.results);
    // Only the good upload's batch exists: the refused one wrote nothing normalized.
    expect(await runtime().store.list("normalized/guarded/leads/")).toHaveLength(1);
  });

  it("refuses an upload with valid rows under minimumAcceptedShare (no date in most rows)", async () => {
    const before = await runtime().ledger.currentBatches("guarded");
    const lines = Array.from({ length: 10 }, (_, i) => row(`u${i}`, "Agree", "Agree", "Yes", i < 6 ? "20/13/2025 10:15" : "20/01/2025 10:15"));
    const { record, report } = await upload("uploads/guarded/leads/bad-dates.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.status).toBe("rejected");
    expect(record.reason).toContain("only 4 of 10 rows (40%) are valid, under the cycle's minimumAcceptedShare of 80%");
    expect(record.reason).toContain('most problems are in "submitted_at" (6)');
    expect(report!.problems[0]).toMatchObject({ row: 2, column: "submitted_at", value: "20/13/2025 10:15" });
    expect(await runtime().ledger.currentBatches("guarded")).toEqual(before);
  });

  it("refuses dates written both day first and month first, naming dateOrder and a row of each", async () => {
    const lines = Array.from({ length: 10 }, (_, i) => row(`m${i}`, "Agree", "Agree", "Yes", i < 6 ? "01/20/2025 10:15" : "20/01/2025 10:15"));
    const { record } = await upload("uploads/guarded/leads/mixed-dates.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.status).toBe("rejected");
    expect(record.reason).toContain('dates in "submitted_at" are written both ways (row 8: "20/01/2025 10:15" can only be day first; row 2: "01/20/2025 10:15" can only be month first)');
    expect(record.reason).toContain('"dateOrder"');
  });

  it("accepts the same file when the cycle allows a lower share", async () => {
    await storeCycle(runtime(), testCycle("lenient", { minimumAcceptedShare: 0.3 }));
    const lines = Array.from({ length: 10 }, (_, i) => row(`u${i}`, "Agree", "Agree", "Yes", i < 6 ? "20/13/2025 10:15" : "20/01/2025 10:15"));
    const { record } = await upload("uploads/lenient/leads/us-dates.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 10, accepted: 4, rejected: 6, duplicates: 0 });
  });
});

describe("an export without the service-area question", () => {
  const header = LEADS_HEADER.replace(",service_area", "");
  const lines = Array.from({ length: 5 }, (_, i) => row(`s${i}`).replace(",Child and family only", ""));

  it("is read without the split: every response counted as not asked", async () => {
    await storeCycle(runtime(), testCycle("no-area"));
    const { record } = await upload("uploads/no-area/leads/export.csv", [header, ...lines].join("\n"));
    expect(record.counts).toEqual({ rows: 5, accepted: 5, rejected: 0, duplicates: 0 });
    const batch = (await runtime().ledger.currentBatches("no-area"))[0]!;
    const tally = await tallyBatch((await runtime().store.getStream(batch.normalizedKey)).body, batch.normalizedKey);
    expect([tally.childAndFamilyOnly, tally.both, tally.serviceAreaNotAsked]).toEqual([0, 0, 5]);
  });

  it("is refused, naming the column, when the cycle file names a service-area column", async () => {
    const cycle = testCycle("named-area");
    await storeCycle(runtime(), { ...cycle, groups: cycle.groups.map((g) => (g.id === "leads" ? { ...g, source: { tool: "csv", columns: { serviceArea: "service_area" } } } : g)) });
    const { record } = await upload("uploads/named-area/leads/export.csv", [header, ...lines].join("\n"));
    expect(record.status).toBe("rejected");
    expect(record.reason).toContain("service_area");
  });
});

describe("incomplete responses", () => {
  const lines = Array.from({ length: 10 }, (_, i) => row(`p${i}`, "Agree", "Agree", i < 4 ? "N/A" : "Yes", i < 6 ? "2025-01-20T10:00:00Z" : ""));
  const withSource = (id: string, source: Record<string, unknown>) => {
    const cycle = testCycle(id);
    return { ...cycle, groups: cycle.groups.map((g) => (g.id === "leads" ? { ...g, source: { tool: "csv", missing: ["N/A"], ...source } } : g)) };
  };

  it("leaves out a response without a completion time and counts it, never as a problem or against the valid share", async () => {
    await storeCycle(runtime(), withSource("partial", {}));
    const { record, report } = await upload("uploads/partial/leads/partial.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 10, accepted: 6, rejected: 0, duplicates: 0, incomplete: 4 });
    expect(report?.problems ?? []).toEqual([]);
    // N/A in an option's own column (the source's missing value) is "not chosen".
    const batch = (await runtime().ledger.currentBatches("partial"))[0]!;
    const tally = await tallyBatch((await runtime().store.getStream(batch.normalizedKey)).body, batch.normalizedKey);
    expect(tally.multiSelect.get("challenges")!.selected[0]).toBe(2);
  });

  it("keeps them when the source says incomplete: include", async () => {
    await storeCycle(runtime(), withSource("partial-kept", { incomplete: "include" }));
    const { record } = await upload("uploads/partial-kept/leads/partial.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.counts).toEqual({ rows: 10, accepted: 10, rejected: 0, duplicates: 0 });
  });
});

describe("hand edits that are harmless are read as meant", () => {
  beforeAll(async () => {
    await storeCycle(runtime(), testCycle("edits"));
  });

  it("reads a trailing comma on every row", async () => {
    const text = `${LEADS_HEADER}\n${Array.from({ length: 5 }, (_, i) => `${row(`t${i}`)},`).join("\n")}\n`;
    const { record } = await upload("uploads/edits/leads/trailing.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 5, accepted: 5, rejected: 0, duplicates: 0 });
  });

  it("reads a CRLF header over LF rows", async () => {
    const text = `${LEADS_HEADER}\r\n${Array.from({ length: 5 }, (_, i) => row(`m${i}`)).join("\n")}\n`;
    const { record } = await upload("uploads/edits/leads/mixed.csv", text);
    expect(record.counts).toEqual({ rows: 5, accepted: 5, rejected: 0, duplicates: 0 });
  });

  it("matches labels with curly apostrophes, odd spacing and case", async () => {
    const lines = [row("a1", "Don\u2019t know"), row("a2", "  strongly   AGREE "), row("a3", "Agree", "Don\u2019t\u00a0know")];
    const { record } = await upload("uploads/edits/leads/curly.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.counts).toEqual({ rows: 3, accepted: 3, rejected: 0, duplicates: 0 });
  });

  it("keeps 199 of 200 rows when row 2 has a quote that is never closed", async () => {
    const lines = Array.from({ length: 200 }, (_, i) => (i === 0 ? `q0,2025-01-20T10:00:00Z,"Child and family only,Agree,Agree,Yes,` : row(`q${i}`)));
    const { record, report } = await upload("uploads/edits/leads/unclosed.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 200, accepted: 199, rejected: 1, duplicates: 0 });
    expect(report!.problems).toEqual([{ row: 2, column: "(whole row)", value: "", expected: expect.stringContaining("never closed") }]);
  });
});

describe("multi-select answers", () => {
  it("counts 0, No, N, Not selected and false as not chosen, and rejects anything else naming the cell", async () => {
    await storeCycle(runtime(), testCycle("options"));
    const lines = ["Yes", "1", "Retaining", "0", "No", "N", "Not selected", "false", "", "Y"].map((cell, i) => row(`o${i}`, "Agree", "Agree", cell));
    const { record } = await upload("uploads/options/leads/values.csv", [LEADS_HEADER, ...lines].join("\n"));
    expect(record.counts).toEqual({ rows: 10, accepted: 10, rejected: 0, duplicates: 0 });
    const { report } = await upload("uploads/options/leads/maybe.csv", [LEADS_HEADER, ...lines, row("o-bad", "Agree", "Agree", "maybe")].join("\n"));
    expect(report!.problems).toEqual([{ row: 12, column: "C: Retaining", value: "maybe", expected: expect.stringContaining('"Retaining", "retaining", "1", "Y", "Yes", "Selected"') }]);
  });

  it("splits one delimited cell into choices, longest label first, ignoring a trailing separator", async () => {
    const cycle = testCycle("delimited");
    cycle.questionnaire.multiSelect = [
      {
        id: "challenges",
        text: "Challenges",
        options: [
          { id: "retaining", label: "Retaining", columns: {} },
          { id: "leaders", label: "Supporting leaders, managers", columns: {} },
          { id: "leaders-short", label: "Supporting leaders", columns: {} },
        ],
        delimited: { leads: { column: "Challenges", separator: "," } },
      } as never,
    ];
    await storeCycle(runtime(), cycle);
    const header = "response_id,submitted_at,service_area,Impact,Clarity,Challenges";
    const cells = ['"Retaining,Supporting leaders, managers"', '"Supporting leaders, managers,"', "Supporting leaders", '"retaining, supporting leaders"', ""];
    const lines = cells.map((cell, i) => `d${i},2025-01-20T10:00:00Z,Child and family only,Agree,Agree,${cell}`);
    const bad = "d-bad,2025-01-20T10:00:00Z,Child and family only,Agree,Agree,\"Retaining,Other\"";
    const { record, report } = await upload("uploads/delimited/leads/cells.csv", [header, ...lines, bad].join("\n"));
    expect(record.counts).toEqual({ rows: 6, accepted: 5, rejected: 1, duplicates: 0 });
    expect(report!.problems).toEqual([{ row: 7, column: "Challenges", value: "Retaining,Other", expected: expect.stringContaining('"other" is not one of the choices') }]);
    // The normalized batch, counted as compute counts it (five rows: too few to publish).
    const [batch] = await runtime().ledger.currentBatches("delimited");
    const tally = await tallyBatch((await runtime().store.getStream(batch!.normalizedKey)).body, batch!.normalizedKey);
    const challenges = tally.multiSelect.get("challenges")!;
    expect(challenges.options).toEqual(["retaining", "leaders", "leaders-short"]);
    expect(challenges.selected).toEqual([2, 2, 2]);
    expect(challenges.answered).toBe(4);
  });
});
