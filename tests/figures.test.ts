import { describe, expect, it } from "vitest";
import { chartText, divergingBarChart, positiveBarChart } from "../lib/report/barCharts.ts";
import { publishableSvg } from "../lib/report/publishableSvg.ts";
import { textWidth } from "../lib/report/textWidth.ts";
import { wrapText } from "../lib/report/wrapText.ts";
import { FigureList } from "../lib/survey/report/reportFigures.ts";
import { categoryMeanings, contrastRatio, PALETTE, relativeLuminance } from "../lib/report/palette.ts";

describe("the palette", () => {
  const colours = Object.entries(PALETTE);

  it("keeps every pair of colours apart in greyscale (luminance contrast at least 1.4)", () => {
    for (const [a, first] of colours) {
      for (const [b, second] of colours) {
        if (a < b) expect(contrastRatio(first.fill, second.fill), `${a} vs ${b}`).toBeGreaterThanOrEqual(1.4);
      }
    }
  });

  it("gives every label text at least 4.5:1 contrast (WCAG AA) on its colour", () => {
    for (const [meaning, colour] of colours) expect(contrastRatio(colour.fill, colour.text), meaning).toBeGreaterThanOrEqual(4.5);
  });

  it("is blue for positive and orange for negative, darker for the stronger answer", () => {
    const hue = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    for (const meaning of ["positive-strong", "positive"] as const) {
      const [r, , b] = hue(PALETTE[meaning].fill);
      expect(b!).toBeGreaterThan(r!);
    }
    for (const meaning of ["negative-strong", "negative"] as const) {
      const [r, , b] = hue(PALETTE[meaning].fill);
      expect(r!).toBeGreaterThan(b!);
    }
    expect(relativeLuminance(PALETTE["positive-strong"].fill)).toBeLessThan(relativeLuminance(PALETTE.positive.fill));
    expect(relativeLuminance(PALETTE["negative-strong"].fill)).toBeLessThan(relativeLuminance(PALETTE.negative.fill));
  });
});

describe("what each answer means", () => {
  it.each([
    [["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know"], ["Strongly agree", "Agree"], ["Don't know"], ["positive-strong", "positive", "neutral", "negative", "negative-strong", "excluded"]],
    [["Very useful", "Useful", "Not very useful", "Not at all useful", "Not used"], ["Very useful", "Useful"], ["Not used"], ["positive-strong", "positive", "negative", "negative-strong", "excluded"]],
    [["Yes", "No", "Don't know"], ["Yes"], ["Don't know"], ["positive", "negative", "excluded"]],
    [["Fully involved", "Partly involved", "Not involved", "Don't know"], ["Fully involved", "Partly involved"], ["Don't know"], ["positive-strong", "positive", "negative", "excluded"]],
  ])("%j", (categories, positive, excluded, meanings) => {
    expect(categoryMeanings(categories, positive, excluded)).toEqual(meanings);
  });
});

describe("the charts", () => {
  const categories = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know"];
  const meanings = categoryMeanings(categories, ["Strongly agree", "Agree"], ["Don't know"]);

  it("centre the diverging bar between negative and positive answers, splitting the neutral one", () => {
    const svg = divergingBarChart("t", categories, meanings, [{ bars: [{ label: "Leads", shares: [0.3, 0.3, 0.2, 0.1, 0.1], excluded: 0.05 }] }], 30);
    const centre = Number(/<line x1="([\d.]+)"/.exec(svg)![1]);
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="18" fill="(#[0-9a-f]+)"/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]), fill: m[3] }));
    const byFill = (meaning: keyof typeof PALETTE) => rects.filter((r) => r.fill === PALETTE[meaning].fill);
    const neutral = byFill("neutral");
    expect(neutral).toHaveLength(2);
    expect(neutral[0]!.x).toBeCloseTo(centre, 0);
    expect(neutral[1]!.x + neutral[1]!.w).toBeCloseTo(centre, 0);
    expect(byFill("positive")[0]!.x).toBeCloseTo(centre + neutral[0]!.w, 0);
    expect(byFill("negative")[0]!.x + byFill("negative")[0]!.w).toBeCloseTo(centre - neutral[1]!.w, 0);
  });

  it("wrap the legend onto more lines rather than cut a label", () => {
    const long = ["Neither agree nor disagree (and a good deal more besides)", "Strongly disagree with every part of it", "Agree", "Don't know"];
    const svg = divergingBarChart("t", long, categoryMeanings(long, ["Agree"], ["Don't know"]), [{ bars: [{ label: "Leads", shares: [0.2, 0.3, 0.5], excluded: 0 }] }], 30);
    for (const label of long) expect(svg).toContain(label.replace(/'/g, "&#39;"));
    const legendRows = new Set([...svg.matchAll(/<rect x="[\d.]+" y="(\d+)" width="14"/g)].map((m) => m[1]));
    expect(legendRows.size).toBeGreaterThan(1);
  });

  it("say why a bar is missing: too few answers, or hidden to protect another figure", () => {
    const svg = positiveBarChart("t", [{ bars: [{ label: "Leads", percentage: null, withheld: "n<30" }, { label: "All", percentage: null, withheld: "hidden" }, { label: "NQSWs", percentage: 87 }] }], 30);
    expect(svg).toContain("n&lt;30: not shown");
    expect(svg).toContain("hidden to protect another figure");
    expect(svg).toContain(">87%</text>");
  });
});

describe("a figure as a file an author pastes", () => {
  const chart = positiveBarChart("Workload is manageable: % agree, by group", [{ bars: [{ label: "ASYE assessors", percentage: 64 }, { label: "NQSWs", percentage: 71 }] }], 30);

  it("carries its number and title above the chart and its source below, at its own size, in the font its labels are laid out for", async () => {
    const file = await publishableSvg(chart, "Figure 7: Workload is manageable: % agree, by group", "Source: ASYE annual survey 2024-25, Skills for Care");
    expect(file).toMatch(/^<svg [^>]*width="640" height="\d+"/);
    expect(file).toMatch(/^<svg font-family="Arimo-[0-9a-f]{10}, Arimo, Arial, Helvetica, 'Liberation Sans', sans-serif"/);
    expect(file).toMatch(/<style>@font-face\{font-family:"Arimo-[0-9a-f]{10}";font-weight:400;[^}]*src:url\(data:font\/woff;base64,/);
    expect(file).toContain(">Figure 7: Workload is manageable: % agree, by group</text>");
    expect(file).toContain(">Source: ASYE annual survey 2024-25, Skills for Care</text>");
    // The alt text is still read from the chart's own title and description.
    expect(chartText(file)).toEqual(chartText(chart));
    const [, before] = /viewBox="0 0 640 (\d+)"/.exec(chart)!;
    const [, after] = /viewBox="0 0 640 (\d+)"/.exec(file)!;
    expect(Number(after)).toBeGreaterThan(Number(before) + 30);
  });

  it("wraps a long title onto lines of its own", async () => {
    const long = `Figure 12: ${"How confident are you in the capability of the ASYE assessors in your organisation ".repeat(2)}`;
    const file = await publishableSvg(chart, long, "Source: x");
    expect((file.match(/font-weight="bold" font-size="13"/g) ?? []).length).toBeGreaterThan(1);
  });
});

describe("a figure whose every bar is withheld", () => {
  it("is one line saying so, not a chart of 'not shown', and takes no figure number", () => {
    const figures = new FigureList(false);
    const chart = positiveBarChart("Ethnicity (ASYE leads)", [{ bars: [{ label: "White", percentage: null, withheld: "n<30" }] }], 30);
    const html = figures.add("Ethnicity (ASYE leads): % positive by subgroup", chart, { columns: ["Item", "Subgroup", "% positive"], rows: [["Impact", "White", "[c]"], ["Impact", "Minoritised", "[c]"]] });
    expect(html).toMatch(/^<p class="small">Not drawn: Ethnicity \(ASYE leads\): % positive by subgroup\. Every figure in it is withheld/);
    expect(figures.list).toHaveLength(0);
    expect(figures.add("Shown", chart, { columns: ["Item", "Group", "% positive"], rows: [["Impact", "NQSWs", 71]] })).toContain('id="figure-1"');
  });
});

describe("long headings and labels", () => {
  it("wrap onto lines of their own, every word whole, never cut at the chart's edge", () => {
    expect(wrapText("Positive impact on my ability to undertake my role", 20)).toEqual(["Positive impact on", "my ability to", "undertake my role"]);
    // 606 px in the font's bold: one line of the chart's 632 (a guess of 7.2 px a character made it 698, two lines).
    const fits = "How involved are NQSWs in the quality assurance and continuous improvement of the ASYE programme?";
    const heading = `${fits} How well does it prepare them?`;
    const lines = (text: string) => [...positiveBarChart("Involvement", [{ heading: text, bars: [{ label: "NQSWs", percentage: 71 }] }], 30).matchAll(/<text x="4" y="\d+" font-weight="bold"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(lines(fits)).toEqual([fits]);
    expect(lines(heading).length).toBe(2);
    expect(lines(heading).join(" ")).toBe(heading);
    for (const line of lines(heading)) expect(textWidth(line, 12, "bold")).toBeLessThanOrEqual(632);
  });
});
