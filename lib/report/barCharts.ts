import { describeDivergingBars, describePositiveBars } from "./chartDescription.ts";
import { chartLegend } from "./chartLegend.ts";
import { CHART_FONT_FAMILY, fitWithEllipsis, textWidth } from "./textWidth.ts";
import { escapeHtml } from "./html.ts";
import { wrapText } from "./wrapText.ts";
import { type CategoryMeaning, PALETTE } from "./palette.ts";

/** Why a bar is not drawn: too few answers (or events), or hidden so that another figure cannot be worked out. */
export type Withheld = "n<30" | "hidden" | "too-few";

/** One bar of a % positive chart: a group's percentage, or why it is withheld. */
export interface PositiveBar {
  label: string;
  percentage: number | null;
  withheld?: Withheld;
}

/** Bars under an optional heading (an item of an item set). */
export interface BarBlock<T> {
  heading?: string;
  bars: T[];
}

const WIDTH = 640;
const BAR = 18;
const GAP = 6;
const HEADING = 20;

function withheldText(withheld: Withheld | undefined, threshold: number): string {
  if (withheld === "too-few") return "too few to show";
  return withheld === "hidden" ? "hidden to protect another figure" : `n<${threshold}: not shown`;
}

/**
 * A chart's SVG: an image whose accessible name is its description (the alternative text a
 * tagged PDF gives the figure), with the title and the same description as its `<title>` and
 * `<desc>` for a standalone SVG. {@link chartText} reads them back. The empty `aria-description`
 * keeps Chromium from also giving the `<desc>` as the image's description, which a screen reader
 * would read a second time after the name.
 */
function svg(title: string, description: string, height: number, body: string): string {
  // The font the labels are laid out for (textWidth.ts), on the root; a standalone file embeds it (publishableSvg.ts).
  return `<svg class="chart" role="img" aria-label="${escapeHtml(description)}" aria-description="" viewBox="0 0 ${WIDTH} ${Math.ceil(height)}" width="100%" font-family="${CHART_FONT_FAMILY}" font-size="12" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title><desc>${escapeHtml(description)}</desc>${body}</svg>`;
}

const ENTITY: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/**
 * A chart's title and alternative text, read from its SVG's own `<title>` and `<desc>` (the
 * first ones, before any bar's tooltip); empty where it has none.
 * @example chartText('<svg class="chart"><title>Workload</title><desc>Bar chart: 71% agree.</desc></svg>') // { title: "Workload", description: "Bar chart: 71% agree." }
 */
export function chartText(chart: string): { title: string; description: string } {
  const own = /^(?:<\?xml[^>]*>\s*)?<svg[^>]*>(?:<title>([^<]*)<\/title>)?(?:<desc>([^<]*)<\/desc>)?/.exec(chart.trimStart());
  const text = (escaped: string | undefined) => (escaped ?? "").replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITY[entity]!);
  return { title: text(own?.[1]), description: text(own?.[2]) };
}

/**
 * Horizontal % bars, one per group, under each item's heading: the published figures' form
 * (one chart per question or item set, a bar per group), with the value at the end of each bar
 * and withheld figures said in words. The axis runs to 100% unless `scaleMax` says otherwise
 * (rates of a few per cent), and `what` says what the bars are. The description
 * ({@link describePositiveBars}) gives the finding and every bar's figure in words.
 */
export function positiveBarChart(title: string, blocks: BarBlock<PositiveBar>[], threshold: number, scaleMax = 100, what = "the % positive by group"): string {
  const labelWidth = labelWidthOf(blocks);
  const plot = WIDTH - labelWidth - 50;
  // One decimal on a scale of a few per cent; the bars' labels and the description say the same.
  const format = (percentage: number) => `${scaleMax < 10 ? percentage.toFixed(1) : percentage}%`;
  const rows = drawRows(blocks, labelWidth, threshold, (bar) => bar.percentage !== null, (bar, y) => {
    const w = (bar.percentage! / scaleMax) * plot;
    const shown = format(bar.percentage!);
    return `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${PALETTE["positive-strong"].fill}"><title>${escapeHtml(`${bar.label}: ${shown}`)}</title></rect><text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 13}">${shown}</text>`;
  });
  const y = rows.bottom;
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => {
      const x = labelWidth + share * plot;
      const tick = share * scaleMax;
      return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="0" y2="${y}" stroke="#d0d0d0" stroke-width="0.5"/><text x="${x.toFixed(1)}" y="${y + 12}" text-anchor="middle" fill="#4d4d4d">${Number(tick.toFixed(2))}%</text>`;
    })
    .join("");
  return svg(title, describePositiveBars(what, blocks, threshold, format), y + 18, axis + rows.svg);
}

/** Room for the longest bar label as the font draws it (12 px to spare: 8 before the bar, 4 at the edge), within bounds. */
function labelWidthOf(blocks: BarBlock<{ label: string }>[]): number {
  return Math.min(170, Math.max(80, ...blocks.flatMap((b) => b.bars.map((bar) => textWidth(bar.label) + 12))));
}

/**
 * The rows of a bar chart: each block's heading, then per bar its label and either its drawing
 * or, when withheld, why. Returns the SVG and where the rows end.
 */
function drawRows<T extends { label: string; withheld?: Withheld }>(
  blocks: BarBlock<T>[],
  labelWidth: number,
  threshold: number,
  shown: (bar: T) => boolean,
  draw: (bar: T, y: number) => string,
): { svg: string; bottom: number } {
  const parts: string[] = [];
  let y = 4;
  for (const block of blocks) {
    // A heading wider than the chart wraps onto lines of its own, never cut at the edge.
    for (const line of block.heading ? wrapText(block.heading, WIDTH - 8, (text) => textWidth(text, 12, "bold")) : []) {
      parts.push(`<text x="4" y="${y + 13}" font-weight="bold"${HALO}>${escapeHtml(line)}</text>`);
      y += HEADING;
    }
    for (const bar of block.bars) {
      parts.push(barLabel(bar.label, labelWidth, y));
      parts.push(
        shown(bar) ? draw(bar, y) : `<text x="${labelWidth + 4}" y="${y + 13}" fill="#4d4d4d"${HALO}>${escapeHtml(withheldText(bar.withheld, threshold))}</text>`,
      );
      y += BAR + GAP;
    }
  }
  return { svg: parts.join(""), bottom: y };
}

/** A white outline painted under text that crosses the grid lines, so no line runs through a word. */
const HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"';

/** A bar's label, right-aligned before the bar: on two lines when too long for one, the second cut (with "…") only past that. */
function barLabel(label: string, labelWidth: number, y: number): string {
  const fits = labelWidth - 12;
  const lines = wrapText(label, fits, (text) => textWidth(text));
  if (lines.length === 1 && textWidth(label) <= fits) return `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escapeHtml(label)}</text>`;
  const first = fitWithEllipsis(lines[0]!, fits);
  const shown = fitWithEllipsis(lines.slice(1).join(" "), fits);
  return `<text x="${labelWidth - 8}" y="${y + 7}" text-anchor="end"><tspan>${escapeHtml(first)}</tspan><tspan x="${labelWidth - 8}" dy="12">${escapeHtml(shown)}</tspan><title>${escapeHtml(label)}</title></text>`;
}

/** One diverging bar: a group's answers as shares of its base (in-base categories), and the share outside the base. */
export interface DivergingBar {
  label: string;
  shares: number[] | null;
  excluded: number | null;
  withheld?: Withheld;
}

/**
 * Diverging stacked bars centred between negative and positive answers, as R's likert draws
 * them: positive to the right of the centre line, negative to the left, a neutral middle answer
 * split across it. Colours go by meaning (palette.ts). Answers outside the base (don't know, not
 * used) are a separate grey bar at the right, so they move nothing. The legend wraps.
 */
export function divergingBarChart(
  title: string,
  categories: string[],
  meanings: CategoryMeaning[],
  blocks: BarBlock<DivergingBar>[],
  threshold: number,
): string {
  const inBase = categories.map((_, k) => k).filter((k) => meanings[k] !== "excluded");
  const labelWidth = labelWidthOf(blocks);
  const excludedWidth = meanings.includes("excluded") ? 70 : 0;
  const half = (WIDTH - labelWidth - excludedWidth - 10) / 2;
  const centre = labelWidth + half;
  const rows = drawRows(blocks, labelWidth, threshold, (bar) => bar.shares !== null, (bar, y) => {
    const parts: string[] = [];
    const share = (k: number) => bar.shares![inBase.indexOf(k)] ?? 0;
    const neutral = inBase.filter((k) => meanings[k] === "neutral").reduce((sum, k) => sum + share(k), 0);
    const segment = (k: number, x: number, w: number) => {
      const colour = PALETTE[meanings[k]!];
      const pct = Math.round(share(k) * 100);
      return `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${colour.fill}"><title>${escapeHtml(`${bar.label}: ${categories[k]} ${pct}%`)}</title></rect>` +
        (w >= textWidth(`${pct}%`) + 4 ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + 13}" text-anchor="middle" fill="${colour.text}">${pct}%</text>` : "");
    };
    // Right of centre: half the neutral, then positive from weakest to strongest outward.
    let right = centre;
    const rightOrder = [...inBase.filter((k) => meanings[k] === "neutral"), ...inBase.filter((k) => meanings[k]!.startsWith("positive")).reverse()];
    for (const k of rightOrder) {
      const w = (meanings[k] === "neutral" ? share(k) / 2 : share(k)) * half;
      parts.push(segment(k, right, w));
      right += w;
    }
    let left = centre - (neutral / 2) * half;
    for (const k of inBase.filter((k) => meanings[k] === "neutral")) parts.push(segment(k, left, (share(k) / 2) * half));
    for (const k of inBase.filter((k) => meanings[k]!.startsWith("negative"))) {
      const w = share(k) * half;
      left -= w;
      parts.push(segment(k, left, w));
    }
    if (excludedWidth > 0 && bar.excluded !== null) {
      const x = WIDTH - excludedWidth;
      const w = bar.excluded * (excludedWidth - 8);
      parts.push(`<rect x="${x}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${PALETTE.excluded.fill}" stroke="#8c8c8c" stroke-width="0.5"/><text x="${x + 2}" y="${y + 13}">${Math.round(bar.excluded * 100)}%</text>`);
    }
    return parts.join("");
  });
  const y = rows.bottom;
  const centreLine = `<line x1="${centre}" x2="${centre}" y1="0" y2="${y}" stroke="#1a1a1a" stroke-width="1"/>`;
  const legend = chartLegend(
    categories.map((label, k) => ({ label: meanings[k] === "excluded" ? `${label} (not in base)` : label, fill: PALETTE[meanings[k]!].fill })),
    4,
    y + 8,
    WIDTH - 8,
  );
  return svg(title, describeDivergingBars(categories, meanings, blocks, threshold), y + 8 + legend.height + 4, centreLine + rows.svg + legend.svg);
}
