import { mkdirSync } from "node:fs";
import Papa from "papaparse";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { renderReport } from "../lib/survey/report/renderReport.ts";
import { type ResultsDocument, resultsDocumentSchema } from "../lib/survey/results/resultsSchema.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { axeViolations } from "./support/axe.ts";
import { useExampleRuntime } from "./support/harness.ts";
import { allElements, figureAlts, pdfProblems, readPdfAccessibility } from "./support/pdfAccessibility.ts";
import { contentOf, type PlacedText, pageWords, readPdfText } from "./support/pdfText.ts";
import { printTaggedPdf } from "../lib/render/renderWithChromium.ts";

// The example cycles as the global setup built them: compute printed the report to PDF, as in AWS.
const runtime = useExampleRuntime();
let browser: Browser;
let page: Page;
let document: ResultsDocument;
const requests: string[] = [];

beforeAll(async () => {
  document = resultsDocumentSchema.parse(JSON.parse((await runtime().store.getText(storageKeys.results("asye-cf-2025")))!));
  // The Chromium from @sparticuz/chromium (npm), the one a Lambda function runs.
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  page.on("request", (request) => requests.push(request.url()));
  // The report exactly as compute wrote it to S3 beside the JSON.
  await page.setContent((await runtime().store.getText(storageKeys.report("asye-cf-2025")))!, { waitUntil: "load" });
  mkdirSync("test-artifacts", { recursive: true });
  await page.screenshot({ path: "test-artifacts/report.png", fullPage: true });
});

afterAll(async () => {
  await browser?.close();
});

/** A file of the cycle's published version, as bytes. */
async function publishedBytes(cycleId: string, name: string): Promise<Uint8Array> {
  const publication = await runtime().ledger.published(cycleId);
  expect(publication!.files).toContain(name);
  const chunks: Uint8Array[] = [];
  for await (const chunk of (await runtime().store.getStream(`${publication!.folder}/${name}`)).body) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const rowsOf = (selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => (cell as unknown as { innerText: string }).innerText.trim())));

describe("the report, rendered in Chromium", () => {
  it("shows Table 6", async () => {
    expect(await rowsOf("#table-6 table")).toEqual([
      ["ASYE leads", "257", "32", "20", "20%"],
      ["ASYE assessors", "1008", "66", "14", "8%"],
      ["NQSWs", "1535", "116", "2", "8%"],
      ["All groups", "2800", "214", "36", "9%"],
    ]);
  });

  it("ranks the challenges with rank-change arrows against the previous cycle", async () => {
    const rows = await rowsOf("#ranking-workforce-challenges table");
    expect(rows.slice(0, 5)).toEqual([
      ["1", "Supporting leaders and managers", "88%", "up 3 (was 4)"],
      ["2", "Retaining social workers", "84%", "down 1 (was 1)"],
      ["3", "Improving the capability of assessors", "75%", "down 1 (was 2)"],
      ["4", "Recruiting social workers", "59%", "up 1 (was 5)"],
      ["5", "Providing EEDI training and development", "51%", "down 2 (was 3)"],
    ]);
    // The arrows are drawn (no font in Lambda's Chromium has ▲▼) beside the words, which are what a screen reader says.
    const changes = await page.$$eval("#ranking-workforce-challenges table tbody tr td:last-child span", (spans) =>
      spans.slice(0, 2).map((span) => [span.className, span.querySelector("svg")?.getAttribute("aria-hidden"), span.querySelector("svg polygon")?.getAttribute("points")]),
    );
    expect(changes).toEqual([
      ["up", "true", "5,1 9,9 1,9"],
      ["down", "true", "1,1 9,1 5,9"],
    ]);
    expect(await page.locator("#ranking-workforce-challenges thead th").last().innerText()).toBe("Change since ASYE child and family annual survey 2023-24");
  });

  it("shows suppressed figures as n<30 with a footnote, and the average over the shown types", async () => {
    const rows = await rowsOf("#set-support-types-leads table");
    expect(rows.find((row) => row[0]!.startsWith("Usefulness of QA visits"))![1]).toBe("n<301");
    expect(await page.locator("#fn-1").innerText()).toContain("n<30: fewer than 30 answers");
    expect(await page.locator("#set-support-types-leads .average").innerText()).toContain("ASYE leads: 90%");
  });

  it("marks a figure hidden to protect another as hidden, not n<30, with its own footnote", async () => {
    const rows = await rowsOf("#comparisons table");
    const leadsAntiRacism = rows.find((row) => row[1]!.startsWith("White hidden"))!;
    expect(leadsAntiRacism[1]).toMatch(/^White hidden\d+ vs Minoritised ethnic n<30\d+$/);
    const note = /hidden(\d+)/.exec(leadsAntiRacism[1]!)![1];
    expect(await page.locator(`#fn-${note}`).innerText()).toBe(
      "hidden: shown, this figure and the ones beside it would let a hidden figure be worked out, exactly or as 0% or 100%.",
    );
  });

  it("gives times in the cycle's time zone and dates as people write them", async () => {
    expect(await page.locator("header .meta").innerText()).toMatch(/computed \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} (GMT|BST)/);
  });

  it("gives every answer's share beside the positive share for single items (76% of leads say yes to anti-racist perspectives)", async () => {
    const table = page.locator("#items table", { hasText: "anti-racist perspectives" });
    // The NQSWs are weighted in this cycle: their weighted share and its interval come last.
    expect(await table.locator("thead th").allInnerTexts()).toEqual(["Group", "Yes", "No", "% positive", "Base (n)", "% positive, weighted", "Weighted 95% interval"]);
    const leads = (await table.locator("tbody tr").first().locator("th, td").allInnerTexts()).map((t) => t.trim());
    expect(leads[0]).toBe("ASYE leads");
    expect(leads[1]).toBe("76%");
    expect(Number(leads[1]!.replace("%", "")) + Number(leads[2]!.replace("%", ""))).toBe(100);
    // Leads are not weighted; the weighting is said once above the items.
    expect(leads.slice(-2)).toEqual(["—", "—"]);
    expect(await page.locator("#items > p").first().innerText()).toContain("Weighted figures: NQSWs' figures (by region and employer type) are also given weighted to the population");
  });

  it("breaks every item down by subgroup within each group, withholding small subgroups and what would reveal them", async () => {
    const nqsws = await rowsOf("#by-ethnicity-nqsws table");
    const antiRacism = nqsws.find((row) => row[0] === "My organisation has clear policies and practice in relation to anti-racism")!;
    expect(antiRacism.slice(1)).toEqual(["87%", "65%"]);
    const leads = await rowsOf("#by-ethnicity-leads table");
    expect(leads[0]![1]).toMatch(/^hidden\d+$/);
    expect(leads[0]![2]).toMatch(/^n<30\d+$/);
    expect(await page.locator("#by-ethnicity-nqsws figure figcaption").innerText()).toContain("Ethnicity (NQSWs): % positive by subgroup");
  });

  it("sets last year's % beside this year's for every item asked in both years", async () => {
    expect(await page.locator("#year-on-year h2").innerText()).toBe("Change since ASYE child and family annual survey 2023-24");
    expect(await rowsOf("#year-on-year table")).toEqual([
      ["Skills for Care's tools, resources, support and guidance have had a positive impact on my ability to undertake my role", "ASYE leads", "68%", "83%", "+15"],
      ["How easy is it to find the information/resources you need?", "ASYE leads", "82%", "82%", "0"],
      // 43 of 45 (95.6%) then, 51 of 52 (98.1%) now: a change of 2.52 points, +3 rounded last,
      // where the rounded 96% and 98% would say +2.
      ["Confidence in the capability of ASYE assessors", "ASYE leads", "96%", "98%", "+3"],
    ]);
  });

  it("footnotes significant differences with the test and adjusted p", async () => {
    const notes = await page.locator("footer .notes").innerText();
    expect(notes).toContain("ASYE leads vs NQSWs (category: Fully involved) differ significantly; chi-square test, adjusted p < 0.001 (holm)");
    expect(await page.locator("#items").innerText()).toMatch(/How involved are NQSWs.*†\d/);
  });

  it("is accessible: captioned tables behind every chart, each chart described in words, the same words in its <desc>", async () => {
    const charts = await page.$$eval("svg.chart", (svgs) => svgs.map((svg) => [svg.getAttribute("role"), svg.getAttribute("aria-label"), svg.querySelector(":scope > desc")?.textContent]));
    expect(charts.length).toBeGreaterThan(10);
    for (const [role, label, desc] of charts) {
      expect(role).toBe("img");
      expect(label).toMatch(/^(Bar chart of the % [A-Za-z ]+ by (group|subgroup|item)(, one chart per group)?\. |Diverging bar chart of every answer by group, positive answers to the right\. )/);
      expect(desc).toBe(label);
    }
    const captions = await page.$$eval("table", (tables) => tables.map((table) => table.querySelector("caption")?.textContent ?? ""));
    expect(captions.every((caption) => caption.length > 0)).toBe(true);
    expect(await page.$$eval("figure", (figures) => figures.every((f) => f.querySelector("figcaption")))).toBe(true);
  });

  it("never scrolls sideways, on a desktop (1280 px), a phone (390 px) or at 400% zoom (320 px): wide tables scroll in their own box", async () => {
    for (const width of [1280, 390, 320]) {
      await page.setViewportSize({ width, height: 1400 });
      const overflow = await page.evaluate(() => {
        // The page's own document (this file's `document` is the results).
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow, `${width} px`).toBe(0);
      await page.screenshot({ path: `test-artifacts/report-${width}.png` });
    }
    await page.setViewportSize({ width: 1000, height: 1400 });
  });

  it("has a table of contents and a numbered figure index, each entry a link", async () => {
    const toc = await page.$$eval("nav.toc > ol:not(.figures) > li a", (links) => links.map((a) => [a.textContent, a.getAttribute("href")]));
    expect(toc[0]).toEqual(["Annual survey overview", "#table-6"]);
    expect(toc.at(-1)).toEqual(["Notes", "#notes"]);
    const figures = await page.$$eval("nav.toc ol.figures a", (links) => links.map((a) => a.textContent));
    // The published figures first, numbered and titled as the cycle file declares them; then the automatic ones.
    expect(figures.slice(0, 2)).toEqual([
      "Figure 1: support from Skills for Care – ASYE leads ratings",
      "Figure 2: support from Skills for Care – assessor and NQSW ratings",
    ]);
    expect(figures[13]).toMatch(/^Figure 14: /);
    expect(await page.locator("#figure-1 figcaption").innerText()).toMatch(/^Figure 1: support from Skills for Care – ASYE leads ratings/);
  });

  it("is printed to PDF by compute: contents, Table 6, the figures and page numbers", async () => {
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: await publishedBytes("asye-cf-2025", "report.pdf"), useSystemFonts: false }).promise;
    const texts: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      texts.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
    }
    expect(pdf.numPages).toBeGreaterThanOrEqual(8);
    const all = texts.join("\n");
    expect(texts[0]).toContain("Contents");
    expect(all).toContain("Table 6: survey links delivered, responses and response rate by group");
    expect(all).toContain("Figure 1:");
    expect(all).toContain("Supporting leaders and managers");
    expect(texts[0]).toContain(`Page 1 of ${pdf.numPages}`);
  });

  it("is laid out for print: the contents' page numbers are the headings' pages, no heading ends a page, no figure is on two pages, the figure index fits its page", async () => {
    const bytes = await publishedBytes("asye-cf-2025", "report.pdf");
    const pages = (await readPdfText(bytes)).map(contentOf);
    // Headings are the text at the contents heading's size or larger (h1, h2); the body is smaller.
    const headingSize = pages[0]!.find((item) => item.str === "Contents")!.size;
    const isHeading = (item: PlacedText) => item.size >= headingSize - 0.5;
    const firstSection = pages.findIndex((page, n) => n > 0 && pageWords(page.filter(isHeading)).includes("Annual survey overview"));
    expect(firstSection).toBeGreaterThan(1);
    // Compared without spaces: a heading wraps over lines wherever it has room (after "anti-", say).
    const squeezed = (text: string) => text.replace(/\s+/g, "");
    const headingPage = (words: string) => 1 + pages.findIndex((page, n) => n >= firstSection && squeezed(pageWords(page.filter(isHeading))).includes(squeezed(words)));
    const entries = await page.$$eval("nav.toc > ol:not(.figures) > li a", (links) => links.map((a) => a.textContent!.replace(/\s+/g, " ")));
    expect(entries.map(headingPage).every((n) => n > 0)).toBe(true);
    expect(numbersOn(pages[0]!)).toEqual(entries.map(headingPage));
    // Each figure on one page, with its caption: the PDF's figure tags page by page (a figure on two
    // pages is tagged on both) are the figures in order, each on the page of its caption.
    const captionPage = (n: number) => 1 + pages.findIndex((page, i) => i >= firstSection && page.some((item) => item.str.startsWith(`Figure ${n}:`)));
    const tagged = await readPdfAccessibility(bytes);
    const alts = figureAlts(tagged);
    const figurePages = tagged.structure.flatMap((page, n) => allElements(page).filter((e) => e.role === "Figure").map(() => n + 1));
    expect(alts.length).toBeGreaterThan(13);
    expect(figurePages).toEqual(alts.map((_, i) => captionPage(i + 1)));
    // The figure index: every page of it but the last says it continues; its numbers are the figures' pages.
    const index = pages.slice(1, firstSection);
    index.slice(0, -1).forEach((page) => expect(pageWords(page)).toContain("continues on the next page"));
    expect(index.flatMap(numbersOn)).toEqual(alts.map((_, i) => captionPage(i + 1)));
    // No page ends with a heading: the lowest text on every page is not a heading's, and the last
    // heading (H2) on a page has a table, figure or list after it there, not only its first words.
    pages.forEach((page, n) => {
      const last = page.reduce((low, item) => (item.y < low.y ? item : low));
      expect(isHeading(last), `page ${n + 1} ends with "${last.str}"`).toBe(false);
    });
    tagged.structure.forEach((page, n) => {
      const roles = allElements(page).map((e) => e.role);
      const heading = roles.lastIndexOf("H2");
      if (heading >= 0) expect(roles.slice(heading + 1).some((role) => ["Table", "Figure", "L"].includes(role)), `page ${n + 1}: ${roles.slice(heading).join(" ")}`).toBe(true);
    });
  });

  it("says where a figure index too long for its page continues, and numbers the contents after it", async () => {
    // The published report with every figure index entry made several lines long (the links unchanged).
    const longer = " (a title made long for this test, so that the list of figures no longer fits its page and has to run onto the next one)".repeat(5);
    const html = (await runtime().store.getText(storageKeys.report("asye-cf-2025")))!.replace(/(<ol class="figures"[^>]*>)(.*?)(<\/ol>)/s, (_, open: string, entries: string, close: string) => `${open}${entries.replace(/<\/a> <span class="page"/g, `${longer}</a> <span class="page"`)}${close}`);
    const long = await browser.newPage();
    await long.setContent(html, { waitUntil: "load" });
    const pages = (await readPdfText(await printTaggedPdf(long, document.cycle.title))).map(contentOf);
    const published = (await readPdfText(await publishedBytes("asye-cf-2025", "report.pdf"))).map(contentOf);
    const firstSection = pages.findIndex((page) => pageWords(page).includes("Table 6:"));
    const indexPages = pages.slice(1, firstSection);
    expect(indexPages.length).toBeGreaterThan(1);
    indexPages.slice(0, -1).forEach((page) => expect(pageWords(page)).toMatch(/The list of figures continues on the next page\.$/));
    expect(pageWords(indexPages.at(-1)!)).not.toContain("continues on the next page");
    // Every section moved on by the extra pages of the index, and the contents say so.
    expect(numbersOn(pages[0]!)).toEqual(numbersOn(published[0]!).map((n) => n + indexPages.length - 1));
    // Left open: the single-process Chromium from npm does not survive closing a page.
  });

  it("has no axe-core violations of WCAG 2.2 A and AA, this year's report and last year's", async () => {
    const checked = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    for (const cycle of ["asye-cf-2025", "asye-cf-2024"]) {
      await checked.setContent((await runtime().store.getText(storageKeys.report(cycle)))!, { waitUntil: "load" });
      expect(await axeViolations(checked), cycle).toEqual([]);
    }
    // Left open: the single-process Chromium from npm does not survive closing a page.
  });

  it("is printed by compute to a tagged PDF: language, title, bookmarks, headings in order, figures with their descriptions, tables with header cells, the footer an artifact", async () => {
    const pdf = await readPdfAccessibility(await publishedBytes("asye-cf-2025", "report.pdf"));
    const title = document.cycle.title;
    expect(pdfProblems(pdf, { language: "en-GB", title: `${title}: results`, footer: (n, pages) => `${title} Page ${n} of ${pages}` })).toEqual([]);
    expect(pdf.bookmarks.map((b) => b.title)).toEqual([title]);
    expect(pdf.bookmarks[0]!.children.map((b) => b.title)).toEqual(expect.arrayContaining(["Contents", "Annual survey overview", "Results by item", "Significance tests", "Notes"]));
    // Each figure, its alternative text the description published beside it.
    const published = altTexts(Buffer.from(await publishedBytes("asye-cf-2025", "figures/alt-text.csv")).toString("utf8"));
    expect(figureAlts(pdf)).toEqual(published.map((row) => row.alt));
    expect(pdf.structure.flatMap((page) => allElements(page)).filter((e) => e.role === "Table").length).toBeGreaterThan(20);
  });

  it("publishes each figure's alternative text: the finding and every figure in words, a withheld one said as withheld and never as a number", async () => {
    const rows = altTexts(Buffer.from(await publishedBytes("asye-cf-2025", "figures/alt-text.csv")).toString("utf8"));
    expect(rows.map((row) => row.figure)).toEqual(rows.map((_, i) => String(i + 1)));
    // The 13 published figures, then the automatic ones of the items none of them draws (and the subgroups).
    expect(rows.length).toBeGreaterThan(13);
    for (const row of rows) {
      const svg = Buffer.from(await publishedBytes("asye-cf-2025", `figures/figure-${row.figure}.svg`)).toString("utf8");
      expect(svg).toContain(`<desc>${escapeXml(row.alt)}</desc>`);
      expect(svg).toContain(`<title>${escapeXml(row.title)}</title>`);
      const data = csvRows(Buffer.from(await publishedBytes("asye-cf-2025", `figures/figure-${row.figure}.csv`)).toString("utf8")).slice(1);
      // Every number said is one the figure's data publishes (to the rounding the chart shows).
      const shown = data.flatMap((cells) => cells.slice(2)).filter((cell) => cell !== "[c]").map(Number);
      for (const said of row.alt.matchAll(/(\d+(?:\.\d)?)%/g)) expect(shown.some((value) => Math.abs(value - Number(said[1])) <= 0.5), `figure ${row.figure}: ${said[0]}`).toBe(true);
      // Every withheld bar is said to be withheld.
      const withheld = data.filter((cells) => cells.includes("[c]")).length;
      expect((row.alt.match(/(not shown|hidden) \(/g) ?? []).length, `figure ${row.figure}`).toBe(withheld);
    }
    expect(rows[0]).toEqual({
      figure: "1",
      title: "support from Skills for Care – ASYE leads ratings",
      alt: expect.stringMatching(/^Bar chart of the % very useful or useful by item\. Highest: \d+% .*QA visits not shown \(fewer than 30 answers\)/),
    });
  });

  it("lets each figure be downloaded as SVG, PNG and CSV, from the report and from the results API", async () => {
    expect(await page.locator("#figure-1 .downloads").innerText()).toBe("Download: SVG · PNG · CSV");
    expect(await page.locator("#figure-1 .downloads a").first().getAttribute("href")).toBe("figures/figure-1.svg");
    const get = (name: string) => runtime().apiRequest("GET", `/cycles/asye-cf-2025/files/${name}`, { authorization: `Bearer ${runtime().apiToken}` });
    const png = await get("figure-1.png");
    expect(png).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { "content-type": "image/png" } });
    expect(Buffer.from(png.body!, "base64").subarray(1, 4).toString()).toBe("PNG");
    const svg = Buffer.from((await get("figure-1.svg")).body!, "base64").toString();
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg font-family="Arimo-[\w-]+, [^"]*" class="chart" role="img"/);
    expect(svg).toContain("@font-face");
    const csv = Buffer.from((await get("figure-1.csv")).body!, "base64").toString().replace(/^\uFEFF/, "").split("\r\n");
    expect(csv.slice(0, 2)).toEqual(["Item,Group,% positive,Base (n)", "Usefulness of Skills for Care's ASYE website resources,ASYE leads,88,50"]);
    expect(csv).toContain("Usefulness of QA visits,ASYE leads,[c],[c]");
    expect((await get("alt-text.csv")).headers!["content-type"]).toBe("text/csv; charset=utf-8");
    const pdf = await get("report.pdf");
    expect(pdf.headers!["content-type"]).toBe("application/pdf");
    expect((await get("figure-999.png")).statusCode).toBe(404);
    expect((await get("..%2Fcycle.json")).statusCode).toBe(400);
  });

  it("is self-contained: it loads nothing from anywhere", async () => {
    expect(requests.filter((url) => !url.startsWith("about:") && !url.startsWith("data:"))).toEqual([]);
  });

  it("marks interim results provisional", async () => {
    const interim = { ...document, status: "provisional" as const, answersPublished: false, items: [], itemSets: [], rankings: [], comparisons: [] };
    const provisional = await browser.newPage();
    await provisional.setContent(renderReport(interim));
    expect(await provisional.locator("[role=status]").innerText()).toBe(
      "Provisional: the survey is open until 21 February 2025; only response counts are shown.",
    );
    await provisional.close();
  });
});

/** The rows of a CSV as published (UTF-8 with a byte-order mark, RFC 4180 quoting). */
function csvRows(text: string): string[][] {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
}

/** figures/alt-text.csv as rows of figure number, title and alternative text. */
function altTexts(csv: string): { figure: string; title: string; alt: string }[] {
  const [head, ...rows] = csvRows(csv);
  expect(head).toEqual(["Figure", "Title", "Alternative text"]);
  return rows.map(([figure, title, alt]) => ({ figure: figure!, title: title!, alt: alt! }));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The page numbers printed at the right of the contents or the figure index, top to bottom. */
function numbersOn(page: readonly PlacedText[]): number[] {
  return page.filter((item) => /^\d+$/.test(item.str) && item.x > 400).sort((a, b) => b.y - a.y).map((item) => Number(item.str));
}
