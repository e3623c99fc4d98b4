import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type ResultsDocument, resultsDocumentSchema } from "../lib/survey/results/resultsSchema.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { uploadCycleFolder } from "../scripts/local/exampleCycles.ts";
import { loadComputeInputs } from "../lib/survey/compute/computeResults.ts";
import { codesOfAnswers } from "../lib/survey/compute/openTextCounts.ts";
import { readBatchRows } from "../lib/survey/compute/readBatchRows.ts";
import { rake } from "../lib/stats/rake.ts";
import { weightedShare } from "../lib/stats/weightedShare.ts";
import { auditResults } from "./support/auditResults.ts";
import { recordingLogger, useExampleRuntime } from "./support/harness.ts";

// The published 2024-25 figures (DOMAIN.md / the annual report): they must come out of the pipeline.
// The example cycles as the global setup built them, uploaded through the S3-event path and computed.
const runtime = useExampleRuntime();

async function readResults(): Promise<ResultsDocument> {
  expect(runtime().failures).toEqual([]);
  const text = await runtime().store.getText(storageKeys.results("asye-cf-2025"));
  return resultsDocumentSchema.parse(JSON.parse(text!));
}

function shareOf(document: ResultsDocument, item: string, group: string) {
  const share = document.items
    .find((i) => i.id === item)!
    .groups.find((g) => g.group === group)!.share;
  return share.suppressed ? "n<30" : share.percentage;
}

describe("the example cycle asye-cf-2025", () => {
  let document: ResultsDocument;
  beforeAll(async () => {
    document = await readResults();
  });

  it("reproduces Table 6", () => {
    const table = document.responseRates.groups.map((g) => [
      g.group,
      g.delivered,
      g.childAndFamilyOnly,
      g.both,
      g.percentage,
    ]);
    expect(table).toEqual([
      ["leads", 257, 32, 20, 20],
      ["assessors", 1008, 66, 14, 8],
      ["nqsws", 1535, 116, 2, 8],
    ]);
    expect(document.status).toBe("final");
  });

  it("ranks the top five workforce challenges with their rank changes against 2024", () => {
    const leads = document.rankings
      .find((r) => r.id === "workforce-challenges")!
      .scopes.find((s) => s.scope === "leads")!;
    const top5 = leads.options
      .slice(0, 5)
      .map((o) => [o.rank, o.label, o.percentage, o.previousRank, o.rankChange]);
    expect(top5).toEqual([
      [1, "Supporting leaders and managers", 88, 4, 3],
      [2, "Retaining social workers", 84, 1, -1],
      [3, "Improving the capability of assessors", 75, 2, -1],
      [4, "Recruiting social workers", 59, 5, 1],
      [5, "Providing EEDI training and development", 51, 3, -2],
    ]);
    expect(leads.respondents).toEqual({ suppressed: false, base: 51 });
  });

  it("averages support from Skills for Care over the shown types, leaving out n<30", () => {
    const average = (set: string, group: string) =>
      document.itemSets.find((s) => s.id === set)!.groups.find((g) => g.group === group)!;
    const leads = average("support-types-leads", "leads");
    expect(leads.average).toMatchObject({ suppressed: false, percentage: 90 });
    expect(leads.itemsLeftOut.map((i) => i.item)).toEqual([
      "support-qa-visits",
      "support-new-coordinator-training",
    ]);
    expect(average("support-types-assessors-nqsws", "assessors").average).toMatchObject({
      percentage: 91,
    });
    const nqsws = average("support-types-assessors-nqsws", "nqsws");
    expect(nqsws.average).toMatchObject({ percentage: 90 });
    expect(nqsws.itemsLeftOut.map((i) => i.item)).toEqual(["support-gems-forum"]);
  });

  it.each([
    ["impact-on-role", [83, 71, 87]],
    ["ease-finding-information", [82, 83, 90]],
    ["confidence-assessors", [98, 98, 95]],
    ["confidence-supervisors", [98, 100, 93]],
    ["nqsw-involvement-qa", [98, 87, 75]],
  ])("reproduces %s for leads, assessors and NQSWs", (item, expected) => {
    expect(["leads", "assessors", "nqsws"].map((group) => shareOf(document, item, group))).toEqual(
      expected,
    );
  });

  it("reproduces understanding of assessment arrangements (leads 94%, assessors 98%)", () => {
    expect(
      ["leads", "assessors"].map((group) => shareOf(document, "understanding-assessment", group)),
    ).toEqual([94, 98]);
  });

  it("hides the GEMS all-groups figure that would reveal the NQSW figure by subtraction", () => {
    const gems = document.items.find((i) => i.id === "support-gems-forum")!;
    expect(gems.groups.find((g) => g.group === "nqsws")).toMatchObject({
      share: { suppressed: true },
      categories: null,
      blank: null,
    });
    expect(gems.allGroups!.share).toMatchObject({ suppressed: true, reason: "complementary" });
    expect(JSON.stringify(gems)).not.toMatch(/"base":\s*20\b/);
  });

  it("finds the leads vs NQSWs difference in 'fully involved' significant", () => {
    const comparison = document.comparisons.find((c) => c.id === "involvement-fully-leads-nqsws")!;
    expect(comparison.measure).toBe("category: Fully involved");
    expect(comparison.samples.map((s) => (s.share.suppressed ? null : s.share.percentage))).toEqual([69, 36]);
    expect(comparison.pairs[0]).toMatchObject({ test: "chi-square", significant: true });
    expect(comparison.pairs[0]!.adjustedP).toBeLessThan(0.001);
    expect(comparison.pairs[0]!.differencePoints!.estimate).toBeCloseTo(100 * (35 / 51 - 40 / 112), 9);
  });

  it("compares the seven EEDI statements between white and minoritised NQSWs: less positive on five", () => {
    const nqsws = document.comparisons.filter((c) => c.comparison === "eedi-by-ethnicity" && c.group === "nqsws");
    expect(nqsws).toHaveLength(7);
    const lessPositive = nqsws.filter((c) => {
      const [white, minoritised] = c.samples.map((s) => (s.share.suppressed ? Number.NaN : s.share.proportion));
      return minoritised! < white!;
    });
    expect(lessPositive).toHaveLength(5);
    expect(nqsws.every((c) => c.pairs.length === 1 && c.family === "eedi-by-ethnicity")).toBe(true);
  });

  it("does not test the lead and assessor subgroups, and reveals nothing of their small bases", () => {
    const small = document.comparisons.filter((c) => c.comparison === "eedi-by-ethnicity" && c.group !== "nqsws");
    expect(small).toHaveLength(14);
    for (const comparison of small) {
      expect(comparison.notTested).toBe("not tested: too few responses (n<30) from Minoritised ethnic");
      expect(comparison.samples.every((s) => s.share.suppressed)).toBe(true);
      expect(JSON.stringify(comparison)).not.toMatch(/"(n|base|p)":/);
    }
  });

  it("compares leads year on year against 2024, through a renamed predecessor item", () => {
    const yearOnYear = document.comparisons.filter((c) => c.comparison === "year-on-year");
    expect(yearOnYear.map((c) => [c.item, c.notTested, c.samples.map((s) => s.id)])).toEqual([
      ["impact-on-role", null, ["asye-cf-2024", "asye-cf-2025"]],
      ["ease-finding-information", null, ["asye-cf-2024", "asye-cf-2025"]],
      ["confidence-assessors", null, ["asye-cf-2024", "asye-cf-2025"]],
    ]);
  });

  it("gives a Wilson 95% interval around every shown percentage", () => {
    const impact = document.items.find((i) => i.id === "impact-on-role")!.groups[0]!.share;
    expect(impact.suppressed).toBe(false);
    if (!impact.suppressed) {
      expect(impact.interval95.lower).toBeLessThan(impact.proportion);
      expect(impact.interval95.upper).toBeGreaterThan(impact.proportion);
    }
  });

  it("records where the results came from", () => {
    expect(document.provenance.uploads.map((u) => [u.group, u.accepted, u.rejected])).toEqual([
      ["assessors", 80, 0],
      ["leads", 52, 0],
      ["nqsws", 118, 0],
    ]);
    expect(document.provenance.uploads.every((u) => /^[0-9a-f]{64}$/.test(u.checksum))).toBe(true);
  });

  it("gives the same results when everything is uploaded again (no double counting)", async () => {
    await uploadCycleFolder(runtime().store, join("examples", "asye-cf-2025"));
    await runtime().idle();
    const again = await readResults();
    expect(again.responseRates).toEqual(document.responseRates);
    expect(again.items).toEqual(document.items);
    expect(again.rankings).toEqual(document.rankings);
  });
});

describe("the tables published with the example cycle", () => {
  async function bytesOf(key: string): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await runtime().store.getStream(key)).body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  it("writes a GSS-style workbook: cover, contents and notes, then one table per sheet titled in A1, [c] where figures are withheld", async () => {
    await readResults();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf(storageKeys.publishedFile("asye-cf-2025", "tables.xlsx"))) as never);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names.slice(0, 4)).toEqual(["Cover", "Contents", "Notes", "Table_6"]);
    expect(names).toEqual(expect.arrayContaining(["By_ethnicity_nqsws", "Year_on_year", "Comparisons", "Item_sets"]));
    const contents = workbook.getWorksheet("Contents")!;
    const listed = contents.getColumn(1).values.slice(4).map((value) => (typeof value === "object" && value !== null && "text" in value ? value.text : value));
    expect(listed).toEqual(names.slice(3));
    for (const sheet of workbook.worksheets) {
      expect(String(sheet.getCell("A1").value), sheet.name).toMatch(/^[A-Z]\w+/);
      expect((sheet.model as { merges?: string[] }).merges ?? [], sheet.name).toEqual([]);
    }
    const table6 = workbook.getWorksheet("Table_6")!;
    expect(table6.getRow(4).values).toEqual([undefined, "ASYE leads", 257, 32, 20, 52, 20]);
    const useful = workbook.getWorksheet("Items_1_useful")!;
    const qaVisits = useful.getRows(4, useful.rowCount - 3)!.find((row) => String(row.getCell(1).value).includes("QA visits") && row.getCell(2).value === "ASYE leads")!;
    expect(qaVisits.getCell(3).value).toBe("[c]");
    expect(qaVisits.getCell(4).value).toBe("[c]");
    expect(qaVisits.getCell(qaVisits.cellCount).value, "why the row's [c] are withheld").toBe("fewer than 30 answered");
    expect(String(useful.getCell("A2").value)).toContain("[note 1]");
    expect(String(workbook.getWorksheet("Notes")!.getCell("B4").value)).toContain("[c] marks a figure withheld because fewer than the threshold");
  });

  it("meets the GSS spreadsheet guidance's checklist, item by item", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf(storageKeys.publishedFile("asye-cf-2025", "tables.xlsx"))) as never);
    const text = (sheet: string, column = 1) => workbook.getWorksheet(sheet)!.getColumn(column).values.map((v) => String(v ?? ""));
    // A cover sheet with the source, a contact and the publication date in words (no raw ISO time).
    const cover = text("Cover");
    for (const heading of ["Source", "Contact", "Publication date"]) expect(cover[cover.indexOf(heading) + 1], heading).toMatch(/\w/);
    expect(cover[cover.indexOf("Publication date") + 1]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    expect(cover.join(" ")).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    // Sheet names unique, within Excel's 31 characters, none cut mid-word from an id.
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const name of names) expect(name.length, name).toBeLessThanOrEqual(31);
    for (const sheet of workbook.worksheets.slice(1)) {
      // Every table is a named Excel table starting in A3, its header the row the data sits under.
      const tables = sheet.getTables() as unknown as { table: { name: string; tableRef?: string; ref?: string } }[];
      expect(tables.map((t) => t.table.name), sheet.name).toEqual([`T_${sheet.name}`]);
      const rows = sheet.getRows(4, sheet.rowCount - 3) ?? [];
      // No blank rows inside a table.
      for (const row of rows) expect(row.cellCount, `${sheet.name} row ${row.number}`).toBeGreaterThan(0);
      // Columns as wide as their content (up to 60 characters, longer text wrapped).
      sheet.getRow(3).eachCell((cell, column) => {
        const longest = Math.max(String(cell.value).length, ...rows.map((row) => String(row.getCell(column).value ?? "").length));
        expect(sheet.getColumn(column).width!, `${sheet.name} column ${column}`).toBeGreaterThanOrEqual(Math.min(60, longest + 2));
      });
      // One number per cell: no cell packs a list of figures.
      for (const row of rows) row.eachCell((cell) => expect(String(cell.value), `${sheet.name} ${cell.address}`).not.toMatch(/\d+%?; [^;]*\d/));
      // Every [c] has its reason: a row with one names why (in its Reason for [c] column), or the sheet's notes do.
      const header = sheet.getRow(3).values as unknown[];
      const reasonColumn = header.indexOf("Reason for [c]");
      for (const row of rows) {
        const withheld = (row.values as unknown[]).includes("[c]");
        if (withheld && reasonColumn > 0) expect(String(row.getCell(reasonColumn).value), `${sheet.name} row ${row.number}`).not.toBe("[z]");
        if (withheld && reasonColumn < 0) expect(String(sheet.getCell("A2").value), sheet.name).toMatch(/\[note \d+\]/);
      }
    }
    // Subgroup sheets give every subgroup's base beside its share.
    expect((workbook.getWorksheet("By_ethnicity_nqsws")!.getRow(3).values as unknown[]).filter((v) => String(v).startsWith("Base, "))).toHaveLength(2);
    // Rounding is consistent within a table: the items tables' percentages are whole numbers.
    const items = workbook.getWorksheet("Items_1_useful")!;
    for (const row of items.getRows(4, items.rowCount - 3)!) row.eachCell((cell) => typeof cell.value === "number" && expect(Number.isInteger(cell.value), `${cell.address}`).toBe(true));
  });

  it("gives an answer outside the base as its share of every answer, as the diverging chart draws it, not [z]", async () => {
    const document = await readResults();
    const csv = (await bytesOf(storageKeys.publishedFile("asye-cf-2025", "tables/items-useful.csv"))).toString("utf8").replace(/^\uFEFF/, "");
    const [header, ...rows] = csv.split("\r\n").map((line) => line.split(","));
    const notUsed = header!.indexOf("% Not used (of all answers)");
    expect(notUsed, header!.join(",")).toBeGreaterThan(0);
    const leads = document.items.find((i) => i.id === "support-website")!.groups.find((g) => g.group === "leads")!;
    const answered = leads.categories!.reduce((sum, c) => sum + c.n, 0);
    const expected = Math.round((100 * leads.categories!.find((c) => c.label === "Not used")!.n) / answered);
    const row = rows.find((cells) => cells[0] === "Usefulness of Skills for Care's ASYE website resources" && cells[1] === "ASYE leads")!;
    expect(row[notUsed]).toBe(String(expected));
  });

  it("writes each table as a CSV with one header row", async () => {
    const csv = (await bytesOf(storageKeys.publishedFile("asye-cf-2025", "tables/table-6.csv"))).toString("utf8");
    expect(csv.replace(/^\uFEFF/, "").split("\r\n").slice(0, 3)).toEqual([
      "Group,Survey link successfully delivered to,Responses (child and family only),Additional responses (both services),Responses,Response rate (%)",
      "ASYE leads,257,32,20,52,20",
      "ASYE assessors,1008,66,14,80,8",
    ]);
  });
});

describe("open-text answers, coded and counted", () => {
  it("reproduces Key finding 5: training 39, through supervision 25, culture and expected values 10, a clear statement or policy 9", async () => {
    const document = await readResults();
    const question = document.openText.find((q) => q.id === "anti-racism-examples")!;
    const all = question.scopes.find((s) => s.scope === "all")!;
    expect(all.codes.map((c) => [c.rank, c.label, c.n])).toEqual([
      [1, "Training", 39],
      [2, "Through supervision", 25],
      [3, "The culture and expected values", 10],
      [4, "A clear statement or policy", 9],
    ]);
    expect(all.respondents).toEqual({ suppressed: false, base: 70 });
    // One answer ("CPD sessions …") no rule finds: the analyst's coding file makes it training.
    expect(question.answersCodedByFile).toBe(1);
  });

  it("never keeps the answers' text: not in results, report, tables or the stored codes", async () => {
    const texts = ["CPD sessions on racism awareness", "Training sessions on race equality", "discussed through supervision"];
    const published = await runtime().ledger.published("asye-cf-2025");
    const keys = [...publishedFiles(published!), ...(await runtime().store.list("coded/asye-cf-2025/")), ...(await runtime().store.list("normalized/asye-cf-2025/"))];
    for (const key of keys) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of (await runtime().store.getStream(key)).body) chunks.push(chunk);
      const content = Buffer.concat(chunks).toString("latin1");
      for (const text of texts) expect(content.includes(text), `${text} in ${key}`).toBe(false);
    }
  });
});

function publishedFiles(publication: { folder?: string; files?: string[] }): string[] {
  return (publication.files ?? []).filter((name) => !name.endsWith(".xlsx") && !name.endsWith(".png") && !name.endsWith(".pdf")).map((name) => `${publication.folder}/${name}`);
}

describe("an exact audit of the example cycles' published results", () => {
  it.each(["asye-cf-2024", "asye-cf-2025"])("%s: no hidden figure can be worked out, or narrowed to 0% or 100%, from the rest", async (cycleId) => {
    const text = await runtime().store.getText(storageKeys.results(cycleId));
    const document = resultsDocumentSchema.parse(JSON.parse(text!));
    const inputs = await loadComputeInputs(cycleId, { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    const openTextAnswers = (question: string, group: string) => codesOfAnswers(inputs.coded.get(group)?.[question] ?? [], group, inputs.coding.get(question));
    expect(auditResults(document, { config: inputs.config, tallies: inputs.tallies, openTextAnswers })).toEqual([]);
  });

  it("had hidden figures to audit in 2024-25 beside shown totals: subgroups beside their group's figure", async () => {
    const document = await readResults();
    const shownGroup = (item: string, group: string) => !document.items.find((i) => i.id === item)!.groups.find((g) => g.group === group)!.share.suppressed;
    const audited = document.subgroupBreakdowns.flatMap((b) => b.items.filter((row) => shownGroup(row.item, b.group) && row.subgroups.some((s) => s.share.suppressed)));
    expect(audited.length).toBeGreaterThan(10);
  });
});

describe("the example cycle's NQSW figures weighted to the registrations", () => {
  it("rakes the NQSWs to the 2024-25 registrations by region and employer type, and sets each shown share's weighted figure beside it", async () => {
    const document = await readResults();
    expect(document.weighting).toEqual([{ group: "nqsws", margins: ["region", "employer-type"], respondents: 118, iterations: expect.any(Number), converged: true, trimmed: false, warnings: [], error: null }]);
    const outcomes = JSON.parse((await runtime().store.getText(storageKeys.results("asye-outcomes-2025")))!) as { registrations: { byRegion: { label: string; nqsws: number }[]; byEmployerType: { label: string; nqsws: number }[] } };
    // Independently of compute: the NQSWs' rows raked to the registrations, then one item's share.
    const inputs = await loadComputeInputs("asye-cf-2025", { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    const batch = inputs.batches.find((b) => b.group === "nqsws")!;
    const { header, rows, count } = await readBatchRows((await runtime().store.getStream(batch.normalizedKey)).body, batch.normalizedKey);
    const codeAt = (id: string, r: number) => rows[r * header.rowWidth + header.subgroupVariables.find((v) => v.id === id)!.offset]!;
    const subgroupOf = (id: string, r: number) => header.subgroupVariables.find((v) => v.id === id)!.subgroups[codeAt(id, r) - 1];
    const sum = (levels: { label: string; nqsws: number }[], labels: string[]) => levels.filter((l) => labels.includes(l.label)).reduce((n, l) => n + l.nqsws, 0);
    const region = { south: sum(outcomes.registrations.byRegion, ["London", "South East", "South West"]), midlands: sum(outcomes.registrations.byRegion, ["West Midlands", "East Midlands", "East of England"]), north: sum(outcomes.registrations.byRegion, ["Yorkshire and Humber", "North West", "North East"]) };
    const local = sum(outcomes.registrations.byEmployerType, ["Local authority"]);
    const employer = { "local-authority": local, other: outcomes.registrations.byEmployerType.reduce((n, l) => n + l.nqsws, 0) - local };
    const records = Array.from({ length: count }, (_, r) => ({ region: subgroupOf("region", r), "employer-type": subgroupOf("employer-type", r) }));
    const raked = rake(records, [{ variable: "region", population: region }, { variable: "employer-type", population: employer }]);
    const item = header.items.find((i) => i.id === "eedi-belonging")!;
    const positive = Array.from({ length: count }, (_, r) => {
      const code = rows[r * header.rowWidth + item.offset]!;
      const label = code === 0 ? undefined : item.categories[code - 1];
      return label === undefined || label === "Don't know" ? null : label === "Strongly agree" || label === "Agree";
    });
    const expected = weightedShare(positive, raked.weights, { calibration: raked });
    const published = document.items.find((i) => i.id === "eedi-belonging")!.groups.find((g) => g.group === "nqsws")!.weighted!;
    expect(published.proportion).toBeCloseTo(expected.estimate, 12);
    expect(published.standardError).toBeCloseTo(expected.standardError, 12);
    // Only the weighted group carries weighted figures.
    expect(document.items.every((i) => i.groups.every((g) => g.group === "nqsws" || g.weighted === null))).toBe(true);
  });
});
