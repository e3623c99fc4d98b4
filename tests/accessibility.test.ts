import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { altTextFile } from "../lib/publication/figureAltText.ts";
import { contentOperators } from "../lib/render/contentOperators.ts";
import { markArtifacts } from "../lib/render/markArtifacts.ts";
import { readPdfLinks } from "../lib/render/pdfLinks.ts";
import { rewritePageContents, UnsupportedPdfError } from "../lib/render/rewritePageContents.ts";
import { type BarBlock, chartText, divergingBarChart, type PositiveBar, positiveBarChart } from "../lib/report/barCharts.ts";
import { describeDivergingBars, describePositiveBars } from "../lib/report/chartDescription.ts";
import { categoryMeanings } from "../lib/report/palette.ts";
import { readPdfAccessibility } from "./support/pdfAccessibility.ts";

const percent = (p: number) => `${p}%`;

describe("a chart's description", () => {
  it("gives the finding and every figure in words, a withheld one as withheld (the issue's example)", () => {
    const bars: PositiveBar[] = [
      { label: "NQSWs", percentage: 71 },
      { label: "ASYE assessors", percentage: 64 },
      { label: "ASYE leads", percentage: null, withheld: "n<30" },
    ];
    expect(describePositiveBars("the % who agree their workload is manageable, by group", [{ bars }], 30, percent)).toBe(
      "Bar chart of the % who agree their workload is manageable, by group. Highest: 71% (NQSWs); lowest: 64% (ASYE assessors). NQSWs 71%, ASYE assessors 64%, ASYE leads not shown (fewer than 30 answers).",
    );
  });

  it("says a figure hidden to protect another is hidden, and a chart with nothing shown says so", () => {
    const blocks: BarBlock<PositiveBar>[] = [{ heading: "Belonging", bars: [{ label: "White", percentage: null, withheld: "hidden" }, { label: "Minoritised ethnic", percentage: null, withheld: "n<30" }] }];
    expect(describePositiveBars("the % positive by subgroup", blocks, 30, percent)).toBe(
      "Bar chart of the % positive by subgroup. No figure is shown. Belonging: White hidden (to protect another figure), Minoritised ethnic not shown (fewer than 30 answers).",
    );
  });

  it("names every bar tied at the top or bottom, each item's bars under its heading", () => {
    const blocks: BarBlock<PositiveBar>[] = [
      { heading: "Website", bars: [{ label: "Assessors", percentage: 91 }, { label: "NQSWs", percentage: 89 }] },
      { heading: "Forums", bars: [{ label: "Assessors", percentage: 91 }, { label: "NQSWs", percentage: null, withheld: "too-few" }] },
    ];
    expect(describePositiveBars("the % useful by group", blocks, 30, percent)).toBe(
      "Bar chart of the % useful by group. Highest: 91% (Website, Assessors; Forums, Assessors); lowest: 89% (Website, NQSWs). Website: Assessors 91%, NQSWs 89%. Forums: Assessors 91%, NQSWs not shown (too few to show).",
    );
  });

  it("gives each group's share of every answer for a diverging chart, and the share outside the base", () => {
    const categories = ["Agree", "Disagree", "Don't know"];
    const meanings = categoryMeanings(categories, ["Agree"], ["Don't know"]);
    const bars = [
      { label: "NQSWs", shares: [0.704, 0.296], excluded: 0.05 },
      { label: "Leads", shares: null, excluded: null, withheld: "hidden" as const },
    ];
    expect(describeDivergingBars(categories, meanings, [{ bars }], 30)).toBe(
      "Diverging bar chart of every answer by group, positive answers to the right. Most common answer: Agree (NQSWs). NQSWs: Agree 70%, Disagree 30%, and 5% don't know (outside the base); Leads hidden (to protect another figure).",
    );
  });

  it("is the chart's accessible name and its <desc>, with its title in <title>, and never states a number the chart withholds (400 random charts)", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let n = 0; n < 400; n++) {
      const blocks = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, b) => ({
        heading: `Item ${b + 1}`,
        bars: Array.from({ length: 1 + Math.floor(random() * 4) }, (_, g): PositiveBar => (random() < 0.3 ? { label: `Group ${g + 1}`, percentage: null, withheld: random() < 0.5 ? "hidden" : "n<30" } : { label: `Group ${g + 1}`, percentage: Math.round(random() * 100) })),
      }));
      const svg = positiveBarChart("A & B's <chart>", blocks, 30);
      const { title, description } = chartText(svg);
      expect(title).toBe("A & B's <chart>");
      expect(svg).toContain(`aria-label="${svg.match(/<desc>([^<]*)<\/desc>/)![1]}"`);
      const drawn = new Set(blocks.flatMap((b) => b.bars.flatMap((bar) => (bar.percentage === null ? [] : [bar.percentage]))));
      for (const said of description.matchAll(/(\d+)%/g)) expect(drawn.has(Number(said[1]))).toBe(true);
      const withheld = blocks.flatMap((b) => b.bars).filter((bar) => bar.percentage === null).length;
      expect((description.match(/(not shown|hidden) \(/g) ?? []).length).toBe(withheld);
    }
  });

  it("is read back from a diverging chart's SVG too", () => {
    const svg = divergingBarChart("Workload", ["Agree", "Disagree"], ["positive", "negative"], [{ bars: [{ label: "NQSWs", shares: [0.7, 0.3], excluded: 0 }] }], 30);
    expect(chartText(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`)).toEqual({ title: "Workload", description: "Diverging bar chart of every answer by group, positive answers to the right. Most common answer: Agree (NQSWs). NQSWs: Agree 70%, Disagree 30%." });
  });
});

describe("figures/alt-text.csv", () => {
  const svg = (title: string, description: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${positiveBarChart(title, [{ bars: [{ label: description, percentage: 50 }] }], 30)}\n`;

  it("lists every figure by number with its title and alternative text, as its SVG says them", () => {
    const file = altTextFile([
      { name: "report.html", body: "<html></html>", contentType: "text/html" },
      { name: "figures/figure-10.svg", body: svg("Ten", "NQSWs"), contentType: "image/svg+xml" },
      { name: "figures/figure-2.svg", body: new TextEncoder().encode(svg('Two, "quoted"', "Leads")), contentType: "image/svg+xml" },
      { name: "figures/figure-2.csv", body: "x", contentType: "text/csv" },
    ]);
    expect(file?.name).toBe("figures/alt-text.csv");
    expect(file?.body).toBe(
      '\uFEFFFigure,Title,Alternative text\r\n2,"Two, ""quoted""",Bar chart of the % positive by group. Leads 50%.\r\n10,Ten,Bar chart of the % positive by group. NQSWs 50%.\r\n',
    );
  });

  it("is not written for a version without figures", () => {
    expect(altTextFile([{ name: "report.html", body: "", contentType: "text/html" }])).toBeUndefined();
  });
});

describe("marking untagged drawing as artifacts", () => {
  it("reads a content stream's operators past strings, names, arrays and dictionaries that look like operators", () => {
    const content = Buffer.from("/P <</MCID 0 >>BDC BT (a \\) ET \\( (EMC)) Tj <45 4D 43> Tj [(x) 2 (y)] TJ ET EMC % EMC in a comment\nq 1 0 0 1 0 0 cm Q");
    expect(contentOperators(content).map((o) => o.op)).toEqual(["BDC", "BT", "Tj", "Tj", "TJ", "ET", "EMC", "q", "cm", "Q"]);
    const [bdc] = contentOperators(content);
    expect(content.subarray(bdc!.start, bdc!.end).toString()).toBe("/P <</MCID 0 >>BDC");
  });

  it("wraps the untagged footer text as one pagination artifact and untagged graphics as artifacts, and leaves tagged content and clipping alone", () => {
    const content = [
      "/P <</MCID 0 >>BDC BT (Body) Tj ET 0 0 5 5 re f EMC",
      "q 0 0 100 100 re W n",
      "0 0 10 10 re f",
      "BT (Page ) Tj ET BT (1) Tj ET",
      "/Im1 Do Q",
    ].join("\n");
    expect(markArtifacts(Buffer.from(content)).toString()).toBe(
      [
        "/P <</MCID 0 >>BDC BT (Body) Tj ET 0 0 5 5 re f EMC",
        "q 0 0 100 100 re W n",
        "/Artifact BMC\n0 0 10 10 re f\nEMC\n",
        "/Artifact <</Type /Pagination>> BDC\nBT (Page ) Tj ET BT (1) Tj ET\nEMC\n",
        "/Artifact BMC\n/Im1 Do\nEMC\n Q",
      ].join("\n"),
    );
  });

  it("rewrites a PDF's page contents and its cross-reference table, so a reader finds the footer an artifact", async () => {
    const pdf = minimalPdf("BT /F1 12 Tf 72 720 Td (Page 1 of 1) Tj ET");
    const rewritten = rewritePageContents(pdf, markArtifacts);
    const read = await readPdfAccessibility(rewritten);
    expect(read.untaggedText).toEqual([""]);
    expect(read.artifactText).toEqual(["Page 1 of 1"]);
    // The other objects are kept byte for byte.
    expect(Buffer.from(rewritten).toString("latin1")).toContain("/Type /Catalog /Pages 2 0 R /Lang (en-GB)");
  });

  it("refuses a PDF it cannot rewrite, saying why", () => {
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9\n%%EOF\n", "latin1");
    expect(() => rewritePageContents(pdf, markArtifacts)).toThrow(UnsupportedPdfError);
    expect(() => rewritePageContents(pdf, markArtifacts)).toThrow("a cross-reference stream, not a table");
  });
});

describe("reading where a PDF's links lead (for the contents' page numbers)", () => {
  it("gives each named destination's page and each link's page, through a page tree of two levels", () => {
    const pdf = pdfOf([
      "<< /Type /Catalog /Pages 2 0 R /Dests 7 0 R >>",
      "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>",
      "<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
      "<< /Type /Page /Parent 2 0 R /Annots [8 0 R] >>",
      "<< /Type /Page /Parent 3 0 R /Annots [9 0 R 10 0 R] >>",
      "<< /Type /Page /Parent 3 0 R >>",
      "<< /table-6 [6 0 R /XYZ 12 800 0] /notes [4 0 R /XYZ 12 300 0] /caf#C3#A9 [5 0 R /XYZ 0 0 0] >>",
      "<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /Dest /notes >>",
      "<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /Dest /table-6 >>",
      "<< /Type /Annot /Subtype /Widget /Rect [0 0 1 1] >>",
    ]);
    const { destinations, links } = readPdfLinks(pdf);
    expect(Object.fromEntries(destinations)).toEqual({ "table-6": 2, notes: 3, "café": 1 });
    expect(links).toEqual([{ page: 1, destination: "table-6" }, { page: 3, destination: "notes" }]);
  });

  it("finds none in a PDF without named destinations", () => {
    expect(readPdfLinks(minimalPdf("BT ET")).destinations.size).toBe(0);
  });
});

/** A PDF of the objects given (numbered from 1, the first the catalog) with a classic cross-reference table. */
function pdfOf(objects: readonly string[]): Uint8Array {
  let body = "%PDF-1.4\n";
  const offsets = objects.map((object, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  return new Uint8Array(Buffer.from(`${body}${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`, "latin1"));
}

/** A one-page PDF with a classic cross-reference table, its page's content Flate-compressed, as Chromium writes them. */
function minimalPdf(content: string): Uint8Array {
  const stream = deflateSync(Buffer.from(content, "latin1"));
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    null,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n", "latin1")];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    const bytes = body === null
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n<< /Filter /FlateDecode /Length ${stream.length} >> stream\n`, "latin1"), stream, Buffer.from("\nendstream\nendobj\n", "latin1")])
      : Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, "latin1");
    offsets.push(length);
    parts.push(bytes);
    length += bytes.length;
  });
  const xref = `xref\n0 6\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([...parts, Buffer.from(xref, "latin1")]));
}
