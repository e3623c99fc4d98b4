import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseAnyCycle } from "../lib/config/parseAnyCycle.ts";
import { TABLE_NOTES } from "../lib/publication/publishedTable.ts";
import { tableCsv } from "../lib/publication/tableCsv.ts";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { publishedTables } from "../lib/survey/publication/publishedTables.ts";
import { tablesWorkbook } from "../lib/survey/publication/surveyWorkbook.ts";
import { renderReport } from "../lib/survey/report/renderReport.ts";
import { type ResultsDocument, resultsDocumentSchema } from "../lib/survey/results/resultsSchema.ts";
import { summarizeResults } from "../lib/survey/results/summarizeResults.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

/** Responses only: Table 6 reads no answers. */
function tally(group: string, childAndFamilyOnly: number, both: number): GroupTally {
  return { group, childAndFamilyOnly, both, items: new Map(), multiSelect: new Map(), subgroups: [] };
}

/** The test cycle's results (before its close date: Table 6 only), validated as compute validates them. */
function results(deliveredByRecipients: Map<string, number>, overrides: Record<string, unknown> = {}): ResultsDocument {
  const config = cycleConfigSchema.parse(testCycle("rates", overrides));
  return resultsDocumentSchema.parse(
    buildResults({
      config,
      // 65 leads and 120 NQSWs responded.
      tallies: new Map([["leads", tally("leads", 50, 15)], ["nqsws", tally("nqsws", 100, 20)]]),
      batches: [],
      generation: 1,
      previous: undefined,
      now: new Date("2025-02-01T00:00:00Z"),
      codeVersion: "test",
      deliveredByRecipients,
    }),
  );
}

/** A recipient list of 10 delivered for the leads, 65 of whom responded: 650% before issue 20. */
const shortList = () => results(new Map([["leads", 10]]));

describe("response rates (Table 6) when fewer were delivered to than responded", () => {
  it("marks the rate not available, with why, instead of 650%; the other group's rate stands", () => {
    const { groups, total } = shortList().responseRates;
    const [leads, nqsws] = groups;
    expect(leads).toMatchObject({ delivered: 10, deliveredFrom: "recipient list", responses: 65, proportion: null, percentage: null, interval95: null });
    expect(leads!.notAvailable).toMatch(/^the recipient list covers fewer people \(10 delivered\) than responded \(65\), so the rate would be over 100%/);
    expect(nqsws).toMatchObject({ delivered: 200, deliveredFrom: "cycle file", responses: 120, percentage: 60, notAvailable: null });
    // The total's delivered count includes the short list: 185 of 210 would look like 88%, but is not given.
    expect(total).toMatchObject({ delivered: 210, responses: 185, percentage: null, proportion: null, interval95: null });
    expect(total.notAvailable).toContain("not available for ASYE leads");
  });

  it("says so of the cycle file's delivered count too, and publishes exactly 100%", () => {
    const small = results(new Map(), { groups: [{ id: "leads", label: "ASYE leads", delivered: 65 }, { id: "nqsws", label: "NQSWs", delivered: 12 }] });
    const [leads, nqsws] = small.responseRates.groups;
    expect(leads).toMatchObject({ percentage: 100, proportion: 1, notAvailable: null });
    expect(leads!.interval95!.upper).toBe(1);
    expect(nqsws).toMatchObject({ percentage: null, notAvailable: expect.stringMatching(/^the cycle file's delivered count \(12\) is smaller than the responses \(120\)/) });
  });

  it("never publishes a rate over 100%, whatever the counts", () => {
    for (const delivered of [0, 1, 64, 65, 66, 1000]) {
      const { groups, total } = results(new Map([["leads", delivered]])).responseRates;
      for (const rate of [...groups, total]) {
        expect(rate.percentage === null || rate.percentage <= 100, `${rate.group} with ${delivered} delivered`).toBe(true);
        expect(rate.percentage === null).toBe(rate.notAvailable !== null);
      }
    }
  });

  it("still reads results written before rates could be not available", () => {
    const old = JSON.parse(JSON.stringify(results(new Map())));
    for (const rate of [...old.responseRates.groups, old.responseRates.total]) delete rate.notAvailable;
    expect(resultsDocumentSchema.parse(old).responseRates.total.notAvailable).toBeNull();
  });
});

describe("a rate not available, as published", () => {
  it("is [x] in Table 6 of the workbook and the CSV, with the note saying why", async () => {
    const document = shortList();
    const table6 = publishedTables(document).find((table) => table.id === "table-6")!;
    expect(table6.rows).toEqual([
      ["ASYE leads", 10, 50, 15, 65, "[x]"],
      ["NQSWs", 200, 100, 20, 120, 60],
      ["All groups", 210, 150, 35, 185, "[x]"],
    ]);
    expect(table6.notes).toEqual(["responseRateNotAvailable"]);
    expect(tableCsv(table6)).toContain("ASYE leads,10,50,15,65,[x]");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tablesWorkbook(document, [table6])) as never);
    const sheet = workbook.getWorksheet("Table_6")!;
    expect(sheet.getRow(4).values).toEqual([undefined, "ASYE leads", 10, 50, 15, 65, "[x]"]);
    const number = Object.keys(TABLE_NOTES).indexOf("responseRateNotAvailable") + 1;
    expect(String(sheet.getCell("A2").value)).toContain(`[note ${number}]`);
    const note = workbook.getWorksheet("Notes")!.getRow(3 + number).values as unknown[];
    expect(note[1]).toBe(`note ${number}`);
    expect(String(note[2])).toMatch(/^\[x\] in a response rate: the recipient list .* covers fewer people than responded, so the rate would be over 100%/);
  });

  it("carries no note when every rate is available", () => {
    expect(publishedTables(results(new Map())).find((table) => table.id === "table-6")!.notes).toEqual([]);
  });

  it("is \"not available\" in the report, footnoted with why, with a warning under Table 6", () => {
    const html = renderReport(shortList());
    const table6 = html.slice(html.indexOf('<section id="table-6">'), html.indexOf("</section>", html.indexOf('<section id="table-6">')));
    expect(table6).not.toMatch(/>\d{3,}%</);
    expect(table6.match(/not available<sup><a href="#fn-\d+">\d+<\/a><\/sup>/g)).toHaveLength(2);
    expect(table6).toContain(`<p class="banner" role="status">Response rate not available for ASYE leads: the recipient list (or the cycle file's delivered count) covers fewer people than responded`);
    expect(html).toMatch(/<li id="fn-\d+">ASYE leads: response rate not available: the recipient list covers fewer people \(10 delivered\) than responded \(65\)/);
  });

  it("is n/a in the summary `asye results` and `asye compute` print, with a warning saying why", () => {
    const summary = summarizeResults(shortList());
    expect(summary).toMatch(/ASYE leads\s+10\s+50\s+15\s+n\/a/);
    expect(summary).toContain("Warning: response rate not available for ASYE leads: the recipient list covers fewer people (10 delivered) than responded (65)");
    expect(summary).toContain("Warning: response rate not available for All groups: not available for ASYE leads");
    expect(summarizeResults(results(new Map()))).not.toContain("Warning");
  });
});

describe("asye check and the cycle file's delivered count", () => {
  // Read as `asye check` reads it.
  const cycle = parseAnyCycle(JSON.stringify(testCycle("rates", { groups: [{ id: "leads", label: "ASYE leads", delivered: 2 }, { id: "nqsws", label: "NQSWs", delivered: 200 }] })), "cycle.json");
  async function* bytes(text: string): AsyncIterable<Uint8Array> {
    yield new TextEncoder().encode(text);
  }
  const exportOf = (responses: number) =>
    [LEADS_HEADER, ...Array.from({ length: responses }, (_, i) => `r${i},2025-01-20T10:00:00Z,Child and family only,Agree,Disagree,Yes,`)].join("\n") + "\n";

  it("warns when the export holds more responses than the links delivered, and still accepts it", async () => {
    const checked = await cycle.type.checkExport(cycle.config, "leads", bytes(exportOf(3)), "leads.csv", { sampleRows: 0 });
    expect(checked.refused).toBeUndefined();
    expect(checked.lines.at(-1)).toMatch(/^ {2}warning: 3 responses would be accepted, more than the 2 links the cycle file says were delivered to this group, so its response rate would be over 100%/);
    expect(checked.result).toMatchObject({ responseRateWarning: expect.stringContaining("Table 6 marks it not available") });
  });

  it("says nothing of it when the responses are within the delivered count", async () => {
    const checked = await cycle.type.checkExport(cycle.config, "leads", bytes(exportOf(2)), "leads.csv", { sampleRows: 0 });
    expect(checked.lines.join("\n")).not.toContain("warning");
    expect(checked.result).not.toHaveProperty("responseRateWarning");
  });
});

describe("Table 6 for a group whose export has no service-area question", () => {
  const document = resultsDocumentSchema.parse(
    buildResults({
      config: cycleConfigSchema.parse(testCycle("unsplit")),
      tallies: new Map([["leads", { ...tally("leads", 0, 0), serviceAreaNotAsked: 40 }], ["nqsws", tally("nqsws", 100, 20)]]),
      batches: [],
      generation: 1,
      previous: undefined,
      now: new Date("2025-02-01T00:00:00Z"),
      codeVersion: "test",
    }),
  );

  it("counts its responses in the rate without the split, and says so in the table and the report", () => {
    const [leads] = document.responseRates.groups;
    expect(leads).toMatchObject({ childAndFamilyOnly: 0, both: 0, notSplit: 40, responses: 40, percentage: 40 });
    expect(document.responseRates.total).toMatchObject({ notSplit: 40, responses: 160 });
    const table6 = publishedTables(document).find((t) => t.id === "table-6")!;
    expect(table6.rows[0]).toEqual(["ASYE leads", 100, "[x]", "[x]", 40, 40]);
    expect(table6.notes).toContain("serviceAreaNotAsked");
    expect(renderReport(document)).toContain("the export has no service-area question");
  });
});
