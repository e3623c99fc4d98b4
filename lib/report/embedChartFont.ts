import { createHash } from "node:crypto";
import { CHART_FONT_WOFF2 } from "./chartFontData.ts";
import { sfntToWoff } from "./sfntToWoff.ts";
import { CHART_FONT_FAMILY, type FontWeight } from "./textWidth.ts";

/** Each face as TrueType, decompressed from its WOFF2 once per process (15 ms) rather than for every figure. */
let sources: Promise<Record<FontWeight, Buffer>> | undefined;

async function subsetter(): Promise<typeof import("subset-font")> {
  // Loaded on first use: it instantiates HarfBuzz's WebAssembly, which nothing else needs.
  return (await import("subset-font")).default;
}

function faces(): Promise<Record<FontWeight, Buffer>> {
  sources ??= (async () => {
    const subset = await subsetter();
    // keepAllGlyphs is in subset-font 2.x, not yet in its type declarations.
    const whole = (weight: FontWeight) => subset(Buffer.from(CHART_FONT_WOFF2[weight], "base64"), "", { targetFormat: "truetype", keepAllGlyphs: true } as Parameters<typeof subset>[2]);
    const [regular, bold] = await Promise.all([whole("regular"), whole("bold")]);
    return { regular, bold };
  })();
  return sources;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/**
 * The characters an SVG draws in each weight: the content of its `<text>` elements (with their
 * `<tspan>`s), less the `<title>` tooltips inside them; bold where the element says
 * `font-weight="bold"`. Entities are read as the characters they stand for.
 *
 * @example drawnText('<svg><text font-weight="bold">Fig 1</text><text>71%<title>Leads: 71%</title></text></svg>') // { regular: "71%", bold: "Fig 1" }
 */
export function drawnText(svg: string): Record<FontWeight, string> {
  const drawn: Record<FontWeight, string> = { regular: "", bold: "" };
  for (const [, attributes, content] of svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    const text = content!.replace(/<title>[\s\S]*?<\/title>/g, "").replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITY[name]!);
    drawn[/font-weight="bold"/.test(attributes!) ? "bold" : "regular"] += text;
  }
  return drawn;
}

/**
 * An `@font-face` rule for each weight the SVG draws text in: the charts' font subset to just the
 * characters it draws (HarfBuzz's hb-subset, through subset-font), as a WOFF `data:` URL, under a
 * family name of its own (from the subset's hash), so two figures pasted into one page never
 * share a face that lacks the other's characters. Returns the CSS and the family name.
 */
export async function chartFontFaces(svg: string): Promise<{ css: string; family: string }> {
  const drawn = drawnText(svg);
  const [subset, whole] = await Promise.all([subsetter(), faces()]);
  const weights = (["regular", "bold"] as const).filter((weight) => drawn[weight] !== "");
  const woffs = await Promise.all(weights.map(async (weight) => sfntToWoff(await subset(whole[weight], drawn[weight], { targetFormat: "truetype" }))));
  const hash = createHash("sha256");
  for (const woff of woffs) hash.update(woff);
  const family = `Arimo-${hash.digest("hex").slice(0, 10)}`;
  const css = weights
    .map((weight, i) => `@font-face{font-family:"${family}";font-weight:${weight === "bold" ? 700 : 400};font-style:normal;src:url(data:font/woff;base64,${Buffer.from(woffs[i]!).toString("base64")}) format("woff")}`)
    .join("");
  return { css, family };
}

/**
 * The SVG with its font embedded: the `@font-face` rules of {@link chartFontFaces} in a
 * `<style>` after its `<title>` and `<desc>` (where alt text is read), and that family first in
 * the root's `font-family`, then Arimo and the fonts with Arial's metrics. Opened on its own,
 * pasted into a page or drawn by a browser with no fonts at all, it draws its text in the font
 * it was laid out for.
 */
export async function embedChartFont(svg: string): Promise<string> {
  const head = /^<svg[^>]*>(?:<title>[^<]*<\/title>)?(?:<desc>[^<]*<\/desc>)?/.exec(svg);
  if (!head) return svg;
  const { css, family } = await chartFontFaces(svg);
  if (css === "") return svg;
  const root = head[0].replace(/ font-family="[^"]*"/, "").replace(/^<svg/, `<svg font-family="${family}, ${CHART_FONT_FAMILY}"`);
  return `${root}<style>${css}</style>${svg.slice(head[0].length)}`;
}

/**
 * `@font-face` rules for the charts' font, Arimo (regular and bold, the whole Latin face), for a
 * page that draws the report's inline charts: the PDF printer adds them, so the PDF's charts are
 * drawn in the font they were laid out for. The report's HTML carries no font (a browser has
 * Arial or one with its metrics); a PDF embeds only the glyphs it uses.
 */
export function chartFontPageCss(): string {
  return (["regular", "bold"] as const)
    .map((weight) => `@font-face{font-family:Arimo;font-weight:${weight === "bold" ? 700 : 400};font-style:normal;src:url(data:font/woff2;base64,${CHART_FONT_WOFF2[weight]}) format("woff2")}`)
    .join("");
}
