import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoReportFanOut } from "../lib/adapters/dynamoReportFanOut.ts";
import { type EvaluationResults, evaluationResultsSchema, organisationResultsSchema } from "../lib/evaluation360/evaluationResultsSchema.ts";
import { NOT_QUOTED, type RejectionReport } from "../lib/ingest/rejectionReport.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { useExampleRuntime } from "./support/harness.ts";
import { allElements, pdfProblems, printAsCompute, readPdfAccessibility } from "./support/pdfAccessibility.ts";
import { firstRowHeaders, PRINTED_PAGE, pagesEndingWithHeading, printedTables, wordsOnEachPage } from "./support/pdfPages.ts";

/** Appendix 4's Tables 1-4 as published (transcribed from the 2024-25 annual report). */
const published = readFileSync("tests/fixtures/appendix-4-tables.tsv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [number, , , ...figures] = line.split("\t");
    return { number: Number(number), figures: figures.map(Number) };
  });

describe("the 360 example, from raw responses through the pipeline", () => {
  // The example cycles as the global setup built them (2024's results are 2025's previous year).
  const runtime = useExampleRuntime();
  let results: EvaluationResults;
  let folder: string;

  beforeAll(async () => {
    expect(runtime().failures).toEqual([]);
    const publication = await runtime().ledger.published("asye-360-2025");
    folder = publication!.folder!;
    results = evaluationResultsSchema.parse(JSON.parse((await runtime().store.getText(`${folder}/results.json`))!));
  });

  it("reproduces Appendix 4: every statement's average, minimum and maximum in 2024-25 and 2023-24, to one decimal", () => {
    expect(results.statements).toHaveLength(33);
    for (const row of published) {
      const statement = results.statements.find((s) => s.number === row.number)!;
      const computed = [statement.nationalAverage, statement.min, statement.max, statement.previous?.nationalAverage, statement.previous?.min, statement.previous?.max];
      expect({ statement: row.number, figures: computed }).toEqual({ statement: row.number, figures: row.figures });
    }
  });

  it("bands each average as published: 4.0 and above green, 2.0 to 3.9 amber", () => {
    for (const row of published) {
      const statement = results.statements.find((s) => s.number === row.number)!;
      expect(statement.rag).toBe(row.figures[0]! >= 4 ? "green" : row.figures[0]! >= 2 ? "amber" : "red");
    }
    expect(results.statements.filter((s) => s.rag === "green").map((s) => s.number)).toEqual([3, 6, 9, 10, 11, 12, 14, 16, 19, 20, 21, 22, 23, 28, 29, 31]);
  });

  it("includes 152 organisations; 20 sent data but missed the criteria, 58 sent nothing", () => {
    expect(results.organisations).toMatchObject({ registered: 230, included: 152, excluded: 20, withoutData: 58 });
    expect(results.organisations.excludedBecause.noSelfAssessment + results.organisations.excludedBecause.tooFewOtherRespondents).toBe(20);
    // The example's late responses are all 1s: counted, they would have pulled the averages down.
    expect(results.organisations.lateResponsesLeftOut).toBeGreaterThan(0);
  });

  it("scores 2023-24's statement 8 minimum as 0.0: an organisation none of whose respondents rated it, as the tool then did, and the report says so", async () => {
    const statement8 = results.statements.find((s) => s.number === 8)!;
    expect(statement8.previous).toEqual({ nationalAverage: 3.5, min: 0, max: 4.9 });
    expect(statement8.zeroScores).toBe(0); // 2024-25 leaves such organisations out
    // The national report says so beneath Table 1, where the 0.0 is shown.
    const report = (await runtime().store.getText(`${folder}/report.html`))!;
    const note = report.indexOf("The 0.0 (statement 8&#39;s 2023-24 minimum) is not a rating");
    expect(note).toBeGreaterThan(report.indexOf("Table 1:"));
    expect(note).toBeLessThan(report.indexOf("Evaluation criteria theme 2"));
  });

  it("summarises each theme from its statements' bands", () => {
    expect(results.themes.map((t) => t.bands)).toEqual([
      { red: 0, amber: 6, green: 2 },
      { red: 0, amber: 4, green: 11 },
      { red: 0, amber: 4, green: 1 },
      { red: 0, amber: 3, green: 2 },
    ]);
    expect(results.themes[0]!.summary).toBe("Two of the eight statements scored national averages of 4.0 (green); the other six scored national averages of 3.5 to 3.9 (amber).");
  });

  it("withholds a region of fewer than five organisations, and the next smallest so it cannot be worked out", () => {
    const northEast = results.regions.find((r) => r.region === "North East")!;
    expect(northEast).toMatchObject({ organisations: 3, suppressed: true });
    expect(Object.values(northEast.averages).every((v) => v === null)).toBe(true);
    const withheld = results.regions.filter((r) => r.suppressed);
    expect(withheld.reduce((total, r) => total + r.organisations, 0)).toBeGreaterThanOrEqual(5);
    expect(results.regions.filter((r) => !r.suppressed).every((r) => r.organisations >= 5)).toBe(true);
  });

  it("renders one personalised report per included organisation, counted once in the completion record, and publishes them with the national results", async () => {
    const publication = (await runtime().ledger.published("asye-360-2025"))!;
    const reports = publication.files!.filter((file) => file.startsWith("organisations/") && file.endsWith(".html"));
    expect(reports).toHaveLength(152);
    expect(new Set(reports).size).toBe(152);
    const stored = (await runtime().store.list(`${folder}/organisations/`)).filter((key) => key.endsWith(".html"));
    expect(stored).toHaveLength(152);
    const fanOut = new DynamoReportFanOut(runtime().stack.clients.dynamodb, runtime().stack.ledgerTable);
    expect(await fanOut.status("asye-360-2025", folder)).toMatchObject({ expected: 152, done: 152, published: true });
    const html = (await runtime().store.getText(`${folder}/organisations/org-001.html`))!;
    expect(html).toContain("Employer 001");
    expect(html).toContain("Strengths");
    // A statement's own full stop never meets the score's colon (".: 3.5").
    expect(html).toMatch(/<li><strong>\d+\.<\/strong> [^<]*: <strong>\d\.\d<\/strong> against/);
    expect(html).not.toMatch(/[.?!]: <strong>/);
  });

  it("says why a region's averages are not shown, and why fewer than five strengths or development areas are named", async () => {
    const publication = (await runtime().ledger.published("asye-360-2025"))!;
    const names = publication.files!.filter((file) => file.startsWith("organisations/") && file.endsWith(".json"));
    const documents = await Promise.all(names.map(async (name) => ({ name, document: organisationResultsSchema.parse(JSON.parse((await runtime().store.getText(`${folder}/${name}`))!)) })));
    const withheldRegion = documents.find(({ document }) => document.statements.every((s) => s.regional === null));
    const fewStrengths = documents.find(({ document }) => document.strengths.length > 0 && document.strengths.length < 5);
    expect(withheldRegion, "an organisation whose region is withheld").toBeDefined();
    const html = (await runtime().store.getText(`${folder}/${withheldRegion!.name.replace(/\.json$/, ".html")}`))!;
    expect(html).toContain("Your region's averages are not shown (–): too few organisations in");
    if (fewStrengths) {
      const few = (await runtime().store.getText(`${folder}/${fewStrengths.name.replace(/\.json$/, ".html")}`))!;
      expect(few).toContain(`Only ${fewStrengths.document.strengths.length} of your scored statement`);
    }
  });

  it("shows each organisation beside the national and regional averages and its own score last year", async () => {
    const document = organisationResultsSchema.parse(JSON.parse((await runtime().store.getText(`${folder}/organisations/org-010.json`))!));
    const first = document.statements[0]!;
    expect(first.national).toBe(3.6);
    expect(document.statements.every((s) => s.previous !== null || s.score.value === null)).toBe(true);
    expect(document.strengths.length + document.developmentAreas.length).toBeGreaterThan(0);
    // A region's averages only where the region is shown.
    const region = results.regions.find((r) => r.region === document.organisation.region)!;
    expect(first.regional).toBe(region.suppressed ? null : region.averages["1"]);
  });

  it("rejects the export's two bad rows with the row, column and what was expected, quoting no cell (raters are named beside them), and keeps the rest", async () => {
    const records = await runtime().ledger.records("personal/uploads/asye-360-2025/responses/responses.csv");
    const accepted = records.find((record) => record.status === "accepted")!;
    expect(accepted.counts).toMatchObject({ rejected: 2, duplicates: 0 });
    const report = JSON.parse((await runtime().store.getText(accepted.rejectionReportKey!))!) as RejectionReport;
    expect(report.problems.map((p) => p.value)).toEqual([NOT_QUOTED, NOT_QUOTED]);
    expect(report.problems[0]!.expected).toContain('5 or "Exceptional strength"');
    expect(report.problems[1]!.column).toBe("Which organisation are you giving feedback on?");
  });

  describe("its reports, for every reader: national and personalised", () => {
    let browser: Browser;
    let page: Page;
    const reportOf = async (cycleId: string, name: string) => {
      const published = (await runtime().ledger.published(cycleId))!;
      return (await runtime().store.getText(`${published.folder}/${name}`))!;
    };
    // The personalised reports are one template: the first, and one with withheld figures ([c]).
    const personalised = ["organisations/org-001.html", "organisations/org-010.html"];

    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("have no axe-core violations of WCAG 2.2 A and AA, and reflow at 320 CSS px (400% zoom)", async () => {
      const reports = [["asye-360-2025", "report.html"], ["asye-360-2024", "report.html"], ...personalised.map((name) => ["asye-360-2025", name])] as const;
      for (const [cycleId, name] of reports) {
        await page.setViewportSize({ width: 1000, height: 1400 });
        await page.setContent(await reportOf(cycleId, name), { waitUntil: "load" });
        expect(await axeViolations(page), `${cycleId} ${name}`).toEqual([]);
        expect(await sidewaysScroll(page, 320), `${cycleId} ${name}`).toBe(0);
      }
      expect(await reportOf("asye-360-2025", personalised[1]!)).toContain("[c]");
    });

    it("print with each heading kept with what follows: no page ends with one or holds a line or two, no table or section shorter than a page is split, a longer one repeats its header", async () => {
      const publication = (await runtime().ledger.published("asye-360-2025"))!;
      const names = publication.files!.filter((file) => file.startsWith("organisations/") && file.endsWith(".json"));
      const documents = await Promise.all(names.map(async (name) => ({ name, document: organisationResultsSchema.parse(JSON.parse(await reportOf("asye-360-2025", name))) })));
      // The longest front pages: the most wording among the strengths and development areas.
      const wording = ({ document }: (typeof documents)[number]) => [...document.strengths, ...document.developmentAreas].reduce((total, n) => total + document.statements.find((s) => s.number === n)!.text.length, 0);
      const longest = documents.toSorted((a, b) => wording(b) - wording(a))[0]!;
      // One with no development areas: its heading once ended page 1 and "None" alone filled page 2.
      const none = documents.find(({ document }) => document.developmentAreas.length === 0)!;
      const reports = [{ name: "report.html", title: `${results.cycle.title}: national results` }];
      for (const { name, document } of [longest, none, ...documents.filter((d) => personalised.includes(d.name.replace(/\.json$/, ".html")))]) {
        reports.push({ name: name.replace(/\.json$/, ".html"), title: `${document.organisation.name}: ${document.cycle.title}` });
      }
      expect(reports).toHaveLength(5);
      for (const { name, title } of reports) {
        const pdf = await readPdfAccessibility(await printAsCompute(page, await reportOf("asye-360-2025", name), title));
        expect(pagesEndingWithHeading(pdf), name).toEqual([]);
        expect(Math.min(...wordsOnEachPage(pdf)), `${name}: the fewest words on a page`).toBeGreaterThanOrEqual(30);
        // Each table's block (its heading and sentence with it) measured as printed: only one taller than a page may run over two.
        await page.emulateMedia({ media: "print" });
        await page.setViewportSize({ width: Math.floor(PRINTED_PAGE.width), height: 1000 });
        const heights = await page.$$eval("table", (tables) => tables.map((table) => (table.closest(".keep") ?? table).getBoundingClientRect().height));
        await page.emulateMedia({ media: null });
        const tables = printedTables(pdf);
        expect(tables.map((t) => t.caption), name).toHaveLength(heights.length);
        tables.forEach((table, i) => {
          if (table.pages.length === 1) return;
          expect(heights[i], `${name}: "${table.caption}" on pages ${table.pages.join(", ")}`).toBeGreaterThan(PRINTED_PAGE.height);
          const header = firstRowHeaders(table.parts[0]!);
          expect(header.length, `${name}: "${table.caption}" has a header row`).toBeGreaterThan(0);
          for (const part of table.parts.slice(1)) expect(firstRowHeaders(part), `${name}: "${table.caption}" repeats its header`).toEqual(header);
        });
      }
    });

    it("print to tagged PDFs: language, title, bookmarks, headings in order, tables with header cells, the footer an artifact", async () => {
      // Printed with the titles compute and the report worker give them.
      const reports = [{ name: "report.html", title: `${results.cycle.title}: national results` }];
      for (const name of personalised) {
        const organisation = organisationResultsSchema.parse(JSON.parse(await reportOf("asye-360-2025", name.replace(/\.html$/, ".json"))));
        reports.push({ name, title: `${organisation.organisation.name}: ${organisation.cycle.title}` });
      }
      for (const { name, title } of reports) {
        const html = await reportOf("asye-360-2025", name);
        const pdf = await readPdfAccessibility(await printAsCompute(page, html, title));
        expect(pdfProblems(pdf, { language: "en-GB", title, footer: (n, pages) => `${title} Page ${n} of ${pages}` }), name).toEqual([]);
        expect(pdf.structure.flatMap((p) => allElements(p)).filter((e) => e.role === "Table").length, name).toBeGreaterThanOrEqual(4);
      }
    });
  });
});
