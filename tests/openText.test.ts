import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { recordingLogger, storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// An open-text question coded by rules at ingest, then by the analyst's coding file (.xlsx).
const runtime = useLocalRuntime();

describe("an analyst's coding file", () => {
  it("overrides the rules for the responses it covers, read from .xlsx as well as CSV", async () => {
    const cycle = testCycle("coded");
    (cycle.questionnaire as Record<string, unknown>).openText = [
      { id: "examples", text: "Examples", columns: { leads: "Examples" }, codebook: [{ id: "training", label: "Training", keywords: ["training"] }, { id: "policy", label: "Policy", keywords: ["policy"] }] },
    ];
    await storeCycle(runtime(), cycle);
    const rows = Array.from({ length: 40 }, (_, i) => `r${i},2025-01-20T10:00:00Z,Child and family only,Agree,Agree,Yes,,${i < 30 ? "Staff training" : "CPD on race"}`);
    await runtime().store.put("uploads/coded/leads/a.csv", [`${LEADS_HEADER},Examples`, ...rows].join("\n"), "text/csv");
    await runtime().idle();
    const count = async () => {
      const { document } = await computeResults("coded", { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
      return document.openText[0]!;
    };
    expect((await count()).scopes[0]!.codes.map((c) => [c.id, c.n])).toEqual([["training", 30], ["policy", 0]]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Coding");
    sheet.addRow(["response_id", "code"]);
    for (let i = 30; i < 40; i++) sheet.addRow([`r${i}`, "Training"]);
    sheet.addRow(["r0", "policy"]);
    await runtime().store.put(storageKeys.codingFile("coded", "examples").replace(/\.csv$/, ".xlsx"), new Uint8Array(await workbook.xlsx.writeBuffer()), "application/octet-stream");
    const coded = await count();
    // r30-r39 become training; r0's codes are the file's alone (policy), so training is 30 - 1 + 10.
    expect(coded.scopes[0]!.codes.map((c) => [c.id, c.n])).toEqual([["training", 39], ["policy", 1]]);
    expect(coded.answersCodedByFile).toBe(11);
  });
});
