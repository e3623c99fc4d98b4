import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fontkit from "fontkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { divergingBarChart, positiveBarChart } from "../lib/report/barCharts.ts";
import { chartLegend } from "../lib/report/chartLegend.ts";
import { drawnText } from "../lib/report/embedChartFont.ts";
import { categoryMeanings } from "../lib/report/palette.ts";
import { publishableSvg } from "../lib/report/publishableSvg.ts";
import { type FontWeight, textWidth } from "../lib/report/textWidth.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { arimoFile, chartFontModule } from "../scripts/chartFontModule.ts";

const CATEGORIES = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know"];
const MEANINGS = categoryMeanings(CATEGORIES, ["Strongly agree", "Agree"], ["Don't know"]);
const SOURCE = "Source: ASYE annual survey 2024-25, Skills for Care";

/** A survey figure as published: group labels, an item heading, withheld bars, the legend. */
function surveyFigure(): Promise<string> {
  const bar = (label: string, shares: number[] | null, excluded: number | null) => ({ label, shares, excluded, ...(shares ? {} : { withheld: "n<30" as const }) });
  const chart = divergingBarChart("Workload is manageable", CATEGORIES, MEANINGS, [
    {
      heading: "My workload is manageable and allows me to undertake the ASYE programme's requirements well",
      bars: [bar("SYE assessors", [0.31, 0.33, 0.12, 0.16, 0.08], 0.04), bar("ASYE leads", [0.5, 0.3, 0.1, 0.06, 0.04], 0.1), bar("NQSWs", null, null), bar("Newly qualified social workers in adult services", [0.2, 0.4, 0.2, 0.1, 0.1], 0)],
    },
  ], 30);
  return publishableSvg(chart, "Figure 7: Workload is manageable: % strongly agree to strongly disagree, by group (ASYE leads, SYE assessors and NQSWs)", SOURCE);
}

/** An outcomes figure as published: % bars on a short scale, under cohort headings. */
function outcomesFigure(): Promise<string> {
  const levels = [{ label: "Black, Asian and minority ethnic", percentage: 4.2 }, { label: "White", percentage: 2 }, { label: "Not known", percentage: null, withheld: "too-few" as const }];
  const chart = positiveBarChart("% of unsuccessful completions by ethnicity and cohort", [{ heading: "2022-23", bars: levels }, { heading: "2023-24", bars: levels }], 10, 5, "the % of unsuccessful completions");
  return publishableSvg(chart, "Figure 3: % of unsuccessful completions by ethnicity and cohort", "Source: ASYE outcomes 2024-25, Skills for Care");
}

/** The embedded faces of a standalone SVG: family, weight and the font itself. */
function embeddedFaces(svg: string): { family: string; weight: FontWeight; font: fontkit.Font }[] {
  return [...svg.matchAll(/@font-face\{font-family:"([^"]+)";font-weight:(\d+);[^}]*src:url\(data:font\/woff;base64,([A-Za-z0-9+/=]+)\)/g)].map(([, family, weight, data]) => ({
    family: family!,
    weight: weight === "700" ? "bold" : "regular",
    font: fontkit.create(Buffer.from(data!, "base64")) as fontkit.Font,
  }));
}

describe("the charts' font", () => {
  it("is generated from @fontsource/arimo as committed (npx tsx scripts/generate-chart-font.ts)", () => {
    expect(readFileSync("lib/report/chartFontData.ts", "utf8")).toBe(chartFontModule());
  });

  it("measures text with the font's own advance widths, as fontkit lays it out without kerning", () => {
    const font = fontkit.create(arimoFile("bold")) as fontkit.Font;
    const text = "SYE assessors: Strongly disagree (not in base) 100%";
    const units = [...text].reduce((sum, c) => sum + font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth, 0);
    expect(textWidth(text, 13, "bold")).toBeCloseTo((units * 13) / font.unitsPerEm, 6);
    expect(textWidth("SYE assessors")).toBeCloseTo(81.36, 2);
  });

  it("spaces legend entries by their labels' widths, so none runs into the next", () => {
    const { svg } = chartLegend(CATEGORIES.map((label) => ({ label, fill: "#000000" })), 4, 0, 632);
    const swatches = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="\d+">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), width: textWidth(m[2]!.replace("&#39;", "'")) }));
    for (let i = 1; i < swatches.length; i++) {
      if (swatches[i]!.y === swatches[i - 1]!.y) expect(labels[i - 1]!.x + labels[i - 1]!.width).toBeLessThan(swatches[i]!.x - 8);
      expect(labels[i]!.x + labels[i]!.width).toBeLessThanOrEqual(636);
    }
  });
});

describe("a standalone SVG figure", () => {
  it("embeds its font, subset to the characters it draws in each weight, and names that family first", async () => {
    for (const svg of [await surveyFigure(), await outcomesFigure()]) {
      const faces = embeddedFaces(svg);
      expect(faces.map((f) => f.weight).sort()).toEqual(["bold", "regular"]);
      expect(new Set(faces.map((f) => f.family)).size).toBe(1);
      expect(svg).toMatch(new RegExp(`^<svg font-family="${faces[0]!.family}, Arimo, Arial`));
      const drawn = drawnText(svg);
      for (const { weight, font } of faces) {
        const characters = new Set(drawn[weight].replace(/\s/g, ""));
        const missing = [...characters].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
        expect(missing, weight).toEqual([]);
        // A subset: the characters it draws (and .notdef, space), not the font's 200-odd.
        expect(font.numGlyphs).toBeLessThanOrEqual(characters.size + 3);
      }
      expect(drawn.bold).toContain("Figure");
      expect(drawn.regular).toContain("Source:");
    }
  });

  it("keeps its title and description first, for alt text, and is a sensible size", async () => {
    const svg = await surveyFigure();
    expect(svg).toMatch(/^<svg [^>]*><title>Workload is manageable<\/title><desc>[^<]+<\/desc><style>@font-face/);
    expect(svg.length).toBeLessThan(30_000);
  });
});

// Chromium from @sparticuz/chromium has one font, Open Sans, as in Lambda: no Arial, Arimo or
// Liberation Sans. (With none at all it loads no web font either.) A label drawn in Open Sans
// instead of the embedded font measures other than laid out, which the width checks catch.
describe("a standalone SVG figure in Chromium with no font of the charts' family", () => {
  let browser: Browser | undefined;
  // One page throughout: single-process Chromium does not survive closing one.
  let page: Page;
  const folder = mkdtempSync(join(tmpdir(), "asye-chart-font-"));

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ deviceScaleFactor: 2 });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it.each([["survey", surveyFigure], ["outcomes", outcomesFigure]])("draws the %s figure's text in its font, every label inside the picture and none over another", async (name, figure) => {
    const svg = await figure();
    const file = join(folder, `${name}.svg`);
    writeFileSync(file, svg);
    await page.goto(`file://${file}`);
    const measured = (await page.evaluate(MEASURE)) as Measured;
    mkdirSync("test-artifacts", { recursive: true });
    await page.locator("svg").first().screenshot({ path: `test-artifacts/figure-font-${name}.png` });
    expect(measured.fonts).toEqual(["loaded", "loaded"]);
    for (const text of measured.texts) {
      expect(text.x, text.content).toBeGreaterThanOrEqual(0);
      expect(text.x + text.width, text.content).toBeLessThanOrEqual(measured.width);
      expect(text.y + text.height, text.content).toBeLessThanOrEqual(measured.height);
      // Drawn as wide as the layout measured it (kerning only narrows a line, by a little; Chromium rounds to 1/64 px).
      if (text.lines === 1) expect(text.length, text.content).toBeLessThanOrEqual(textWidth(text.content, text.size, text.bold ? "bold" : "regular") + 0.05);
      if (text.lines === 1) expect(text.length, text.content).toBeGreaterThan(textWidth(text.content, text.size, text.bold ? "bold" : "regular") * 0.97);
    }
    const overlaps = measured.texts.flatMap((a, i) => measured.texts.slice(i + 1).filter((b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 3 && b.y < a.y + a.height - 3).map((b) => `${a.content} / ${b.content}`));
    expect(overlaps).toEqual([]);
    expect(measured.texts.map((t) => t.content)).toContain(name === "survey" ? "SYE assessors" : "White");
  });

  it("would catch a figure without its font: Chromium's own Open Sans draws the labels at other widths than laid out", async () => {
    const file = join(folder, "no-font.svg");
    writeFileSync(file, (await surveyFigure()).replace(/<style>[^<]*<\/style>/, ""));
    await page.goto(`file://${file}`);
    const measured = (await page.evaluate(MEASURE)) as Measured;
    await page.locator("svg").first().screenshot({ path: "test-artifacts/figure-font-missing.png" });
    const label = measured.texts.find((t) => t.content === "SYE assessors")!;
    expect(measured.fonts).toEqual([]);
    // 77.2 px in Open Sans against 81.4 in Arimo; DejaVu Sans, a Linux desktop's usual sans, is wider still.
    expect(Math.abs(label.length - textWidth("SYE assessors"))).toBeGreaterThan(textWidth("SYE assessors") * 0.03);
  });
});

interface Measured {
  width: number;
  height: number;
  fonts: string[];
  texts: { content: string; x: number; y: number; width: number; height: number; length: number; lines: number; size: number; bold: boolean }[];
}

/** Run in the page: the embedded faces' status once loaded, and every text's box in the picture's coordinates. */
const MEASURE = `(async () => {
  await document.fonts.ready;
  const root = document.documentElement;
  const [, , width, height] = root.getAttribute("viewBox").split(" ").map(Number);
  const texts = [...root.querySelectorAll("text")].map((text) => {
    const box = text.getBBox();
    const m = text.getCTM();
    const style = getComputedStyle(text);
    const clone = text.cloneNode(true);
    clone.querySelectorAll("title").forEach((t) => t.remove());
    return { content: clone.textContent, x: box.x * m.a + m.e, y: box.y * m.d + m.f, width: box.width * m.a, height: box.height * m.d,
      length: text.getComputedTextLength(), lines: Math.max(1, text.querySelectorAll("tspan").length),
      size: parseFloat(style.fontSize), bold: style.fontWeight === "700" };
  });
  return { width, height, fonts: [...document.fonts].map((f) => f.status), texts };
})()`;
