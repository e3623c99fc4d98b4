import { readFileSync } from "node:fs";
import Papa from "papaparse";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAnyCycle } from "../lib/config/parseAnyCycle.ts";
import { ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { computeOutcomes } from "../lib/outcomes/computeOutcomes.ts";
import { type DecodedRecord, rateFigures } from "../lib/outcomes/outcomeFigures.ts";
import { outcomeRegression } from "../lib/outcomes/outcomeRegression.ts";
import { type OutcomesConfig, outcomesConfigSchema } from "../lib/outcomes/outcomesConfig.ts";
import { type OutcomesResults, outcomesResultsSchema } from "../lib/outcomes/outcomesResultsSchema.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { renderWithChromium } from "../lib/render/renderWithChromium.ts";
import { readAll } from "../lib/ports/objectStore.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { recordingLogger, uploadRef, useExampleRuntime } from "./support/harness.ts";
import { figureAlts, pdfProblems, printAsCompute, readPdfAccessibility } from "./support/pdfAccessibility.ts";

const CYCLE = "asye-outcomes-2025";
const config = (): OutcomesConfig => outcomesConfigSchema.parse(JSON.parse(readFileSync(`examples/${CYCLE}/cycle.json`, "utf8")));

describe("the outcomes example, from raw records through the pipeline", () => {
  // The example cycles as the global setup built them.
  const runtime = useExampleRuntime();
  let results: OutcomesResults;

  beforeAll(async () => {
    expect(runtime().failures).toEqual([]);
    results = outcomesResultsSchema.parse(JSON.parse((await runtime().store.getText(`results/${CYCLE}/results.json`))!));
  });

  it("reproduces Appendix 2's counts: 2,753 / 2,574 / 3,070 records by cohort, 4,700 complete, 4,676 passed and 24 not", () => {
    expect(results.analysis).toEqual({
      records: 8397,
      byCohort: [
        { cohort: "2021-22", records: 2753 },
        { cohort: "2022-23", records: 2574 },
        { cohort: "2023-24", records: 3070 },
      ],
      completeCases: 4700,
      successful: 4676,
      unsuccessful: 24,
      successfulPercentage: 99.5,
      unsuccessfulPercentage: 0.5,
    });
  });

  it("reproduces the unsuccessful rates: 1.1% of global majority vs 0.2% of white NQSWs, 1.5% of male vs 0.4% of female", () => {
    const rate = (variable: string, level: string) => results.rates.find((r) => r.variable === variable)!.levels.find((l) => l.level === level)!;
    expect(rate("ethnicity", "global-majority").percentage).toBe(1.1);
    expect(rate("ethnicity", "white").percentage).toBe(0.2);
    expect(rate("gender", "male").percentage).toBe(1.5);
    expect(rate("gender", "female").percentage).toBe(0.4);
    // Wilson intervals around them.
    expect(rate("gender", "male").lower95).toBeLessThan(1.5);
    expect(rate("gender", "male").upper95).toBeGreaterThan(1.5);
  });

  it("reproduces Appendix 1's Tables 2 and 3: 2024-25 registrations by employer type and region, with employer counts", () => {
    const r = results.registrations!;
    expect(r.total).toEqual({ nqsws: 2599, employers: 192 });
    expect(r.byEmployerType.map((e) => [e.label, e.employers, e.nqsws])).toEqual([
      ["Local authority", 143, 2452],
      ["Private, voluntary and independent (PVI)", 18, 94],
      ["Fostering", 21, 35],
      ["NHS", 9, 16],
      ["School", 1, 2],
    ]);
    expect(r.byRegion.map((e) => [e.label, e.nqsws, e.employers])).toEqual([
      ["London", 396, 41],
      ["South West", 221, 18],
      ["South East", 340, 24],
      ["West Midlands", 289, 22],
      ["East Midlands", 194, 10],
      ["East of England", 260, 14],
      ["Yorkshire and Humber", 333, 22],
      ["North West", 440, 30],
      ["North East", 126, 11],
    ]);
  });

  it("gives the South / Midlands / North split as the report does: 37%, 28%, 35% (largest remainder; half up the Midlands would be 29%)", () => {
    // 957, 743 and 899 of 2,599: 36.8%, 28.6% and 34.6%. Rounded half up the Midlands is 29% and the three make 101;
    // the published 28% is largest-remainder rounding (the North's .590 beats the Midlands' .588), which the cycle file asks for.
    expect(results.registrations!.byArea.map((a) => [a.label, a.nqsws, a.percentage, Number((100 * a.proportion!).toFixed(1))])).toEqual([
      ["South", 957, 37, 36.8],
      ["Midlands", 743, 28, 28.6],
      ["North", 899, 35, 34.6],
    ]);
  });

  it("reproduces Appendix 1's Table 1 and Figure 1: 3,201 registrations in 2023-24 and 2,599 in 2024-25 by financial year, a drop of 602 (the report says 604)", () => {
    const years = results.registrations!.byFinancialYear;
    expect(years).toEqual([
      { financialYear: "2021-22", nqsws: 2352 },
      { financialYear: "2022-23", nqsws: 2844 },
      { financialYear: "2023-24", nqsws: 3201 },
      { financialYear: "2024-25", nqsws: 2599 },
    ]);
    expect(results.registrations!.withoutRegistrationDate).toBe(0);
    // 3,201 - 2,599 = 602: the seed's "drop of 604" does not follow from its own two figures.
    expect(years[2]!.nqsws - years[3]!.nqsws).toBe(602);
    // The peak, after two years of increases, as the overview says.
    expect(Math.max(...years.map((y) => y.nqsws))).toBe(3201);
    // By cohort it stays the Appendix 2 figure (3,070 in 2023-24): 131 of 2022-23's cohort registered in 2023-24.
    expect(results.registrations!.byCohort.map((c) => c.nqsws)).toEqual([2753, 2574, 3070, 2599]);
  });

  it("compares child and family with adult services (Appendix 2, Figures 4-6) while every child and family figure keeps its published value", () => {
    const s = results.serviceAreas!;
    expect(s).toMatchObject({ variable: "service-area", analysed: "child-and-family", rateBasis: "ethnicity" });
    const rate = (cohort: (typeof s.unsuccessful)[number], level: string) => cohort.levels.find((l) => l.level === level)!;
    expect(s.unsuccessful.map((c) => c.cohort)).toEqual(["2021-22", "2022-23", "2023-24"]);
    for (const cohort of s.unsuccessful) {
      expect(rate(cohort, "child-and-family").suppressed).toBe(false);
      expect(rate(cohort, "child-and-family").percentage!, cohort.cohort).toBeLessThan(rate(cohort, "adult").percentage!);
      expect(rate(cohort, "child-and-family").unsuccessful).toBeGreaterThanOrEqual(results.rules.suppression.minimumEvents);
    }
    const [globalMajority, male] = s.shares;
    expect(globalMajority!.title).toBe("% of NQSWs from global majority backgrounds by type of service");
    expect(male!.title).toBe("% of male NQSWs by service type");
    for (const share of [globalMajority!, male!]) {
      expect(share.cohorts.map((c) => c.cohort)).toEqual(["2021-22", "2022-23", "2023-24", "2024-25"]);
      for (const cohort of share.cohorts) expect(cohort.areas[0]!.percentage!, `${share.level} ${cohort.cohort}`).toBeLessThan(cohort.areas[1]!.percentage!);
    }
    // Adult services grow more diverse year by year.
    const adult = globalMajority!.cohorts.map((c) => c.areas[1]!.percentage!);
    expect([...adult].sort((a, b) => a - b)).toEqual(adult);
  });

  it("uses Firth's correction, saying why, and puts the findings in plain words", () => {
    const g = results.regression!;
    expect(g).toMatchObject({ method: "firth", records: 4700, events: 24, converged: true });
    // The example's East of England has no unsuccessful completion among its complete cases.
    expect(g.why).toBe("of separation: Region: East of England has no finite maximum-likelihood estimate (a level with no unsuccessful completion, or one that splits the outcomes)");
    const male = g.terms.find((t) => t.variable === "gender" && t.level === "male")!;
    expect(male.oddsRatio).toBeGreaterThan(1);
    expect(male.sentence).toMatch(/^Male NQSWs were \d+\.\d times as likely to be unsuccessful as female NQSWs, other characteristics being equal \(odds ratio, 95% interval/);
    expect(g.terms.every((t) => t.oddsRatio === null || Number.isFinite(t.oddsRatio))).toBe(true);
  });

  it("keeps records only under personal/, with no NQSW id, and never in the results, tables or report", async () => {
    const records = await runtime().store.list(`personal/records/${CYCLE}/`);
    expect(records).toHaveLength(1);
    const stored = (await runtime().store.getText(records[0]!))!;
    expect(stored).not.toMatch(/N1\d{5}/);
    const published = (await runtime().ledger.published(CYCLE))!;
    for (const name of published.files!) {
      const text = (await runtime().store.getText(`${published.folder}/${name}`)) ?? "";
      expect(text, name).not.toMatch(/N1\d{5}|Employer \d{3}/);
    }
    expect(published.files).toEqual(expect.arrayContaining(["results.json", "report.html", "tables.xlsx", "tables/odds-ratios.csv", "tables/registrations-by-region.csv", "figures/figure-1.svg", "figures/figure-1.csv"]));
    const figure = (await runtime().store.getText(`${published.folder}/figures/figure-9.svg`))!;
    expect(figure).toContain("Global majority (n=1,500): 1.1%");
  });

  describe("its report, for every reader (before the records expire)", () => {
    let browser: Browser;
    let page: Page;
    let html: string;
    const expected = () => ({ language: "en-GB", title: results.cycle.title, footer: (n: number, pages: number) => `${results.cycle.title} Page ${n} of ${pages}` });

    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const published = (await runtime().ledger.published(CYCLE))!;
      html = (await runtime().store.getText(`${published.folder}/report.html`))!;
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("has no axe-core violations of WCAG 2.2 A and AA, and reflows at 320 CSS px (400% zoom)", async () => {
      await page.setContent(html, { waitUntil: "load" });
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysScroll(page, 320)).toBe(0);
    });

    it("prints to a tagged PDF: language, title, bookmarks, headings in order, every figure described as published in figures/alt-text.csv, tables with header cells", async () => {
      const pdf = await readPdfAccessibility(await printAsCompute(page, html, results.cycle.title));
      expect(pdfProblems(pdf, expected())).toEqual([]);
      const published = (await runtime().ledger.published(CYCLE))!;
      const csv = Papa.parse<string[]>((await runtime().store.getText(`${published.folder}/figures/alt-text.csv`))!.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
      expect(csv[0]).toEqual(["Figure", "Title", "Alternative text"]);
      expect(figureAlts(pdf)).toEqual(csv.slice(1).map((row) => row[2]));
      // Counts are said as drawn; rates to one decimal, and a withheld one as withheld.
      expect(csv[1]![2]).toBe("Bar chart of the NQSWs registered in each financial year (April to March). Highest: 3,201 (2023-24); lowest: 2,352 (2021-22). 2021-22 2,352, 2022-23 2,844, 2023-24 3,201, 2024-25 2,599.");
      expect(csv[9]![2]).toMatch(/^Bar chart of the % of unsuccessful completions by ethnicity\. Highest: 1\.1% \(Global majority \(n=1,500\)\); lowest: 0\.2% \(White \(n=3,200\)\)\./);
      expect(csv.slice(1).some((row) => /(not shown|hidden) \(/.test(row[2]!))).toBe(true);
    });

    it("fails those checks when a figure loses its description (test mutations)", async () => {
      const published = (await runtime().ledger.published(CYCLE))!;
      const description = Papa.parse<string[]>((await runtime().store.getText(`${published.folder}/figures/alt-text.csv`))!.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data[1]![2];
      // Without its aria-label the chart is named by its <title> alone: no longer the published description.
      const unlabelled = html.replace(/(<svg class="chart" role="img") aria-label="[^"]*"/, "$1");
      expect(figureAlts(await readPdfAccessibility(await printAsCompute(page, unlabelled, results.cycle.title)))[0]).not.toBe(description);
      // Without any text alternative the figure has none in the PDF, and axe-core says so of the HTML.
      const bare = html.replace(/(<svg class="chart" role="img") aria-label="[^"]*"([^>]*>)<title>[^<]*<\/title><desc>[^<]*<\/desc>/, "$1$2");
      expect(bare).not.toBe(html);
      expect(pdfProblems(await readPdfAccessibility(await printAsCompute(page, bare, results.cycle.title)), expected())).toEqual([expect.stringMatching(/^a figure with no alternative text/)]);
      await page.setContent(bare, { waitUntil: "load" });
      // The first chart (Figure 1's, which axe-core may name by its viewBox) and nothing else.
      expect(await axeViolations(page)).toEqual([expect.stringMatching(/^svg-img-alt: (#figure-1 > svg|svg\[viewBox="0 0 640 \d+"\])/)]);
    });
  });

  it("publishes every figure as SVG, PNG and CSV with its published number, bases and source, and tables whose decimals keep their zeros", async () => {
    const { results: again, published: done } = await computeOutcomes(config(), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger(), render: renderWithChromium });
    expect(done).toBe(true);
    const published = (await runtime().ledger.published(CYCLE))!;
    const text = async (name: string) => (await runtime().store.getText(`${published.folder}/${name}`))!;
    const rows = async (name: string) => Papa.parse<string[]>((await text(name)).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const figures = published.files!.filter((f) => /^figures\/figure-\d+\.svg$/.test(f));
    expect(figures).toHaveLength(11);
    for (const svg of figures) {
      const id = svg.slice(0, -".svg".length);
      expect(published.files, id).toEqual(expect.arrayContaining([`${id}.png`, `${id}.csv`]));
      const png = await readAll((await runtime().store.getStream(`${published.folder}/${id}.png`)).body);
      expect(png.subarray(0, 8).toString("hex"), id).toBe("89504e470d0a1a0a");
      expect(await text(svg), id).toMatch(/font-weight="bold" font-size="13">(Appendix [12], )?Figure \d+[^<]*<[\s\S]*Source: ASYE registrations and outcomes 2024-25, Skills for Care/);
    }
    // The heading's lines (a long one wraps), joined.
    const headings = await Promise.all(figures.map(async (f) => [...(await text(f)).matchAll(/font-weight="bold" font-size="13">([^<]*)</g)].map((m) => m[1]).join(" ")));
    expect(headings.slice(0, 8)).toEqual([
      "Appendix 1, Figure 1: NQSW registrations by financial year",
      "Appendix 1, Figure 2: 2024-25 registrations by area",
      "Appendix 2, Figure 1: % of unsuccessful completions by ethnicity for child and family NQSWs",
      "Appendix 2, Figure 2: % of unsuccessful completions by gender for child and family NQSWs",
      "Appendix 2, Figure 3: % of unsuccessful completions by deferrals for child and family NQSWs",
      "Appendix 2, Figure 4: % of unsuccessful completions by service area",
      "Appendix 2, Figure 5: % of NQSWs from global majority backgrounds by type of service",
      "Appendix 2, Figure 6: % of male NQSWs by service type",
    ]);
    expect(await rows("figures/figure-1.csv")).toEqual([["Financial year (April to March)", "NQSWs registered"], ["2021-22", "2352"], ["2022-23", "2844"], ["2023-24", "3201"], ["2024-25", "2599"]]);
    const areas = await rows("figures/figure-2.csv");
    expect(areas.filter((r) => r[1] === "All regions of the area")).toEqual([["South", "All regions of the area", "957", "37"], ["Midlands", "All regions of the area", "743", "28"], ["North", "All regions of the area", "899", "35"]]);
    expect(areas).toContainEqual(["Midlands", "East of England", "260", "[z]"]);
    // Figure 4: each service area's rate with its base; withheld cells carry [c] and no number.
    const byArea = again.serviceAreas!.unsuccessful;
    const figure4 = await rows("figures/figure-6.csv");
    for (const cohort of byArea) {
      for (const level of cohort.levels) {
        expect(figure4).toContainEqual([cohort.cohort, level.label, ...(level.suppressed ? ["[c]", "[c]", "[c]"] : [String(level.base), String(level.unsuccessful), level.percentage!.toFixed(1)])]);
      }
    }
    const male = again.serviceAreas!.shares[1]!.cohorts.find((c) => c.cohort === "2024-25")!.areas[1]!;
    expect(await rows("figures/figure-8.csv")).toContainEqual(["2024-25", "Adult", String(male.base), String(male.count), male.percentage!.toFixed(1)]);
    // The trends' withheld rates: [c] in the CSV, said in words in the SVG.
    const ethnicity = await rows("figures/figure-3.csv");
    expect(ethnicity.filter((r) => r[0] === "2021-22")).toEqual([["2021-22", "White", "[c]", "[c]", "[c]"], ["2021-22", "Global majority", "[c]", "[c]", "[c]"]]);
    expect(await text("figures/figure-3.svg")).toMatch(/too few to show|hidden to protect another figure/);
    // The regression's labels, p-values in one format, decimals with their zeros; the cohort table as it was.
    const odds = await rows("tables/odds-ratios.csv");
    expect(odds.find((r) => r[1] === "Male")!.slice(0, 3)).toEqual(["Gender", "Male", "Female"]);
    for (const row of odds.slice(1)) {
      expect(row[6], row.join()).toMatch(/^(<0\.001|[01]\.\d{3}|\[x\])$/);
      expect(row[3], row.join()).toMatch(/^(\d+\.\d{2}|\[x\])$/);
    }
    expect(await rows("tables/records-by-cohort.csv")).toContainEqual(["Complete cases", "4700", "100.0"]);
    expect(await rows("tables/registrations-by-cohort.csv")).toEqual([["Cohort", "NQSWs registered"], ["2021-22", "2753"], ["2022-23", "2574"], ["2023-24", "3070"], ["2024-25", "2599"]]);
    expect(await rows("tables/registrations-by-financial-year.csv")).toContainEqual(["2023-24", "3201"]);
    // Times as the survey report gives them: Europe/London, GMT or BST, never UTC.
    const html = await text("report.html");
    expect(html).toMatch(/Computed \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} (GMT|BST)\./);
    expect(html).not.toMatch(/UTC/);
    expect(html).toContain('<a href="figures/figure-1.png" download>PNG</a>');
  });

  it("has every published item of Appendices 1 and 2 where the report authors' guide says, with the guide's numbers in it", async () => {
    const published = (await runtime().ledger.published(CYCLE))!;
    const guide = readFileSync("docs/report-authors.md", "utf8");
    const table = guide.slice(guide.indexOf("| published item | our file under `out/asye-outcomes-2025/`"));
    const rows = table.split("\n").slice(2).filter((line) => line.startsWith("| ")).map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "")));
    expect(rows.length).toBeGreaterThanOrEqual(16);
    for (const [item, where, numbers] of rows) {
      // `figures/figure-1.svg`, `.png`, `.csv` and `figures/figure-3.*` name three files; a bare name is in the folder before it.
      let folder = "";
      const files = [...where!.matchAll(/`([^`]+)`/g)].flatMap(([, path]) => {
        if (path!.startsWith(".")) return [];
        folder = path!.includes("/") ? path!.slice(0, path!.lastIndexOf("/") + 1) : folder;
        const full = path!.includes("/") ? path! : `${folder}${path}`;
        const stem = full.replace(/\.(\*|svg|csv)$/, "");
        return full.endsWith(".*") || /`, `\.png`/.test(where!) ? [`${stem}.svg`, `${stem}.png`, `${stem}.csv`] : [full];
      });
      expect(files.length, item).toBeGreaterThan(0);
      expect(published.files, item).toEqual(expect.arrayContaining(files));
      const texts = await Promise.all(files.filter((f) => !f.endsWith(".png")).map(async (f) => (await runtime().store.getText(`${published.folder}/${f}`))!));
      const text = texts.join("\n");
      for (const [token] of numbers!.matchAll(/\d[\d,]*(\.\d+)?/g)) {
        const plain = token.replace(/,(?=\d{3})/g, "").replace(/,$/, "");
        expect(text.includes(plain) || text.includes(token.replace(/,$/, "")), `${item}: ${token}`).toBe(true);
      }
    }
  });

  it("deletes records past their retention and keeps the aggregates: the trends remain, the rest is marked expired", async () => {
    const later = new Date(Date.now() + 5 * 366 * 24 * 3600 * 1000);
    const { results: afterwards } = await computeOutcomes(config(), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger(), now: () => later });
    // Every personal object of this cycle is gone (the 360 tool's exports are personal data of other cycles).
    expect((await runtime().store.list("personal/")).filter((key) => key.includes(`/${CYCLE}/`))).toEqual([]);
    expect(await runtime().store.list("personal/")).not.toEqual([]);
    expect(await runtime().store.list(`aggregates/${CYCLE}/`)).toHaveLength(2);
    expect(afterwards.analysis).toBeNull();
    expect(afterwards.regression).toBeNull();
    expect(afterwards.expiredRecords).toEqual([`personal/uploads/${CYCLE}/records/records.csv`]);
    // Five years: two cohorts from the counts kept from earlier years, three from the records' aggregates.
    expect(afterwards.trends.find((t) => t.variable === "ethnicity")!.cohorts.map((c) => c.cohort)).toEqual(["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]);
    expect(afterwards.trends).toEqual(results.trends);
  });

  it("takes earlier years' counts for the cohorts no records cover, never twice, and rejects a bad row by column and a duplicated row", async () => {
    const before = results.trends.find((t) => t.variable === "gender")!.cohorts.find((c) => c.cohort === "2021-22")!;
    const key = `uploads/${CYCLE}/aggregates/more.csv`;
    await runtime().store.put(key, "cohort,characteristic,level,successful,unsuccessful\n2021-22,gender,Male,5000,500\n2018-19,Gender,male,400,9\n2018-19,gender,Female,1800,12\n2018-19,ethnicity,White,1500,8\n2018-19,ethnicity,Global majority,700,13\n2018-19,gender,Male,lots,1\n2018-19,Gender,female,1800,12\n2018-19,deferrals,none,2000,10\n2018-19,deferrals,once,150,6\n2018-19,deferrals,twice-or-more,50,5\n", "text/csv");
    const { etag } = await runtime().store.getStream(key);
    // One file of earlier years' counts stands at a time: this later upload replaces the example's.
    const outcome = await ingestUpload(uploadRef(key, etag, { uploadedAt: new Date(Date.now() + 60_000).toISOString(), sequencer: "9" }), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    // 8 of 10 rows valid: the cycle's minimum share (80%), so the file is accepted without its bad rows.
    expect(outcome.status).toBe("accepted");
    expect(outcome.record.counts).toMatchObject({ rows: 10, accepted: 8, rejected: 2 });
    const report = JSON.parse((await runtime().store.getText(outcome.record.rejectionReportKey!))!);
    // Row 7 repeats row 3's cohort, characteristic and level, besides its bad count; row 8 repeats row 4, spelt otherwise.
    expect(report.problems.map((p: { row: number; column: string; value: string }) => [p.row, p.column, p.value])).toEqual([
      [7, "successful", "lots"],
      [7, "cohort, characteristic, level", "2018-19, gender, Male"],
      [8, "cohort, characteristic, level", "2018-19, Gender, female"],
    ]);
    expect(report.problems[2].expected).toContain("duplicate of row 4");
    const { results: again } = await computeOutcomes(config(), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    const gender = again.trends.find((t) => t.variable === "gender")!;
    // 2021-22 comes from the records: the 500 in the later file are not added to it.
    expect(gender.cohorts.find((c) => c.cohort === "2021-22")).toEqual(before);
    expect(gender.cohorts.find((c) => c.cohort === "2018-19")!.levels.find((l) => l.level === "male")).toMatchObject({ base: 409, unsuccessful: 9 });
    // The duplicated row is not added: 1,812 and 12, not 3,624 and 24.
    expect(gender.cohorts.find((c) => c.cohort === "2018-19")!.levels.find((l) => l.level === "female")).toMatchObject({ base: 1812, unsuccessful: 12 });
  });

  it("refuses outcome records uploaded outside personal/, where they would be neither encrypted nor expired", async () => {
    const key = `uploads/${CYCLE}/records/records.csv`;
    await runtime().store.put(key, readFileSync(`examples/${CYCLE}/exports/records.csv`), "text/csv");
    const { etag } = await runtime().store.getStream(key);
    const outcome = await ingestUpload(uploadRef(key, etag), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    expect(outcome.status).toBe("rejected");
    expect(outcome.record.reason).toMatch(/outcome records are personal data: upload them to personal\/uploads\/asye-outcomes-2025\/records\//);
  });

  it("stores a rejection report of records that quotes no cell: no NQSW id, name or email, only rows, columns and what was expected", async () => {
    const key = `personal/uploads/${CYCLE}/records/corrected.csv`;
    const rest = "Employer 038,Fostering,Yorkshire and Humber,Female,Under 25,White Irish,British,Child and family,0";
    const lines = [
      "nqsw_id,cohort,employer,employer_type,region,gender,age_band,ethnicity,nationality,service_area,deferrals,outcome,registration_date",
      `N900001,2023-24,${rest},Successfully completed,01/09/2023`,
      `N900002,jo.bloggs@example.org,${rest},Successfully completed,01/09/2023`,
      `N900003,2023-24,${rest},Jo Bloggs,01/09/2023`,
      `N900001,2023-24,${rest},Successfully completed,01/09/2023`,
    ];
    await runtime().store.put(key, `${lines.join("\n")}\n`, "text/csv");
    const { etag } = await runtime().store.getStream(key);
    const outcome = await ingestUpload(uploadRef(key, etag, { cycleId: CYCLE, group: "records", uploadedAt: new Date(Date.now() + 120_000).toISOString(), sequencer: "A" }), { store: runtime().store, ledger: runtime().ledger, log: recordingLogger() });
    expect(outcome.status).toBe("rejected");
    expect(outcome.record.rejectionReportKey).toMatch(/^rejects\//);
    const stored = (await runtime().store.getText(outcome.record.rejectionReportKey!))!;
    const report = JSON.parse(stored);
    expect(report.problems.map((p: { row: number; column: string; value: string }) => [p.row, p.column, p.value])).toEqual([
      [3, "cohort", "(not quoted: personal data)"],
      [4, "outcome", "(not quoted: personal data)"],
    ]);
    expect(report.duplicates).toEqual([{ row: 5, responseId: "(not quoted: personal data)", firstRow: 2 }]);
    expect(stored).not.toMatch(/N9000|Bloggs|@example/);
  });
});

describe("rates of unsuccessful completion", () => {
  const rule = outcomesConfigSchema.parse({ ...JSON.parse(readFileSync(`examples/${CYCLE}/cycle.json`, "utf8")), suppression: { minimumBase: 50, minimumEvents: 3 } });

  it("withhold a group with fewer than three unsuccessful completions (none included), and the next smallest with it", () => {
    const figures = rateFigures(rule, [
      { level: "a", label: "A", base: 900, events: 12 },
      { level: "b", label: "B", base: 400, events: 2 },
      { level: "c", label: "C", base: 300, events: 5 },
      { level: "d", label: "D", base: 200, events: 0 },
    ]);
    expect(figures.map((f) => [f.level, f.suppressed])).toEqual([
      ["a", false],
      ["b", true],
      ["c", true],
      ["d", true],
    ]);
    expect(figures[1]).toMatchObject({ base: null, unsuccessful: null, percentage: null, proportion: null });
    expect(figures[2]!.reason).toMatch(/worked out from the total/);
  });

  it("withhold a group under the minimum base even with enough events", () => {
    const figures = rateFigures(rule, [
      { level: "a", label: "A", base: 4000, events: 20 },
      { level: "b", label: "B", base: 40, events: 4 },
      { level: "c", label: "C", base: 60, events: 3 },
    ]);
    expect(figures.map((f) => f.suppressed)).toEqual([false, true, true]);
  });
});

describe("the outcomes regression's choice of estimator", () => {
  const base = config();
  /** Complete cases with events spread over every level: no separation. */
  function records(events: number, n: number): DecodedRecord[] {
    return Array.from({ length: n }, (_, i) => ({
      cohort: "2022-23",
      employer: "e",
      outcome: i < events ? 2 : 1,
      levels: new Map<string, string | undefined>([
        ["gender", i % 2 === 0 ? "male" : "female"],
        ["ethnicity", i % 3 === 0 ? "global-majority" : "white"],
      ]),
    }));
  }
  const small = { ...base, predictors: ["gender", "ethnicity"] };

  it("uses maximum likelihood with plenty of events and no separation", () => {
    const g = outcomeRegression(small, records(120, 600))!;
    expect(g.method).toBe("ml");
    expect(g.why).toBe("events are plentiful (120 for 3 parameters) and nothing is separated");
  });

  it("uses Firth's correction when events are rare, saying so", () => {
    const g = outcomeRegression(small, records(18, 3000))!;
    expect(g.method).toBe("firth");
    expect(g.why).toBe("events are rare: 18 unsuccessful completions for 3 parameters (6.0 per parameter, under 10), where maximum likelihood overstates odds ratios");
  });

  it("refuses a cycle file whose reference level or predictor does not exist, naming the path", () => {
    const bad = JSON.parse(readFileSync(`examples/${CYCLE}/cycle.json`, "utf8"));
    bad.predictors.push("shoe-size");
    bad.variables[0].reference = "unknown";
    expect(() => parseAnyCycle(JSON.stringify(bad), "outcomes.json")).toThrow(/predictors\[6\]: unknown variable "shoe-size"[\s\S]*variables\[0\]\.reference: "unknown" is not one of the levels/);
  });
});
