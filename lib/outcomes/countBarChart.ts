import type { BarBlock, PositiveBar } from "../report/barCharts.ts";
import { describePositiveBars } from "../report/chartDescription.ts";
import { CHART_FONT_FAMILY, fitWithEllipsis, textWidth } from "../report/textWidth.ts";
import { escapeHtml } from "../report/html.ts";
import { PALETTE } from "../report/palette.ts";

/** One bar of a count chart: a label and its count. */
export interface CountBar {
  label: string;
  count: number;
}

const WIDTH = 640;
const BAR = 18;
const GAP = 6;
const HEADING = 20;

/** A count as drawn and described: 3,201. */
export const countText = (n: number): string => n.toLocaleString("en-GB");

/** A bar's label cut with an ellipsis where it is wider than `width` (the whole label then its tooltip). */
function label(text: string, width: number): string {
  const shown = fitWithEllipsis(text, width);
  return shown === text ? escapeHtml(text) : `${escapeHtml(shown)}<title>${escapeHtml(text)}</title>`;
}

/** The axis end: 1, 2, 2.5, 4 or 5 times a power of ten (quarters fall on round numbers), past the longest bar with room for its label. */
function axisEnd(most: number): number {
  const target = Math.max(1, most * 1.12);
  const power = 10 ** Math.floor(Math.log10(target));
  return [1, 2, 2.5, 4, 5, 10].map((step) => step * power).find((end) => end >= target)!;
}

/**
 * Horizontal bars of counts (registrations), under optional block headings (an area's regions),
 * in the look of the report's % charts ({@link positiveBarChart}): the count at the end of each
 * bar, grid lines at quarters of the axis, the font on the root, and a `<title>` and `<desc>`
 * (the alternative text: the highest and lowest, then every count) for a standalone SVG.
 */
export function countBarChart(title: string, blocks: readonly BarBlock<CountBar>[], what: string): string {
  const labelWidth = Math.min(170, Math.max(80, ...blocks.flatMap((b) => b.bars.map((bar) => textWidth(bar.label) + 12))));
  const plot = WIDTH - labelWidth - 60;
  const end = axisEnd(Math.max(0, ...blocks.flatMap((b) => b.bars.map((bar) => bar.count))));
  const parts: string[] = [];
  let y = 4;
  for (const block of blocks) {
    if (block.heading) {
      parts.push(`<text x="4" y="${y + 13}" font-weight="bold" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeHtml(block.heading)}</text>`);
      y += HEADING;
    }
    for (const bar of block.bars) {
      const w = (bar.count / end) * plot;
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${label(bar.label, labelWidth - 12)}</text><rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${PALETTE["positive-strong"].fill}"><title>${escapeHtml(`${bar.label}: ${countText(bar.count)}`)}</title></rect><text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 13}">${countText(bar.count)}</text>`,
      );
      y += BAR + GAP;
    }
  }
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => {
      const x = (labelWidth + share * plot).toFixed(1);
      return `<line x1="${x}" x2="${x}" y1="0" y2="${y}" stroke="#d0d0d0" stroke-width="0.5"/><text x="${x}" y="${y + 12}" text-anchor="middle" fill="#4d4d4d">${countText(share * end)}</text>`;
    })
    .join("");
  const asBars: BarBlock<PositiveBar>[] = blocks.map((b) => ({ ...(b.heading ? { heading: b.heading } : {}), bars: b.bars.map((bar) => ({ label: bar.label, percentage: bar.count })) }));
  const description = describePositiveBars(what, asBars, 0, countText);
  const height = Math.ceil(y + 18);
  return `<svg class="chart" role="img" aria-label="${escapeHtml(description)}" aria-description="" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="${CHART_FONT_FAMILY}" font-size="12" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title><desc>${escapeHtml(description)}</desc>${axis}${parts.join("")}</svg>`;
}
