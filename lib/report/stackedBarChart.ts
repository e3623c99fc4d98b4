import { escapeHtml } from "./html.ts";

/** One bar: a label and the share of each category (null when the figure is suppressed). */
export interface StackedBar {
  label: string;
  shares: number[] | null;
}

// Positive categories first (dark teal) through to negative (dark orange); text colours keep 4.5:1 contrast.
const PALETTE = ["#00545c", "#2a8c87", "#8fc5bf", "#f2c28b", "#d9793b", "#9e3d0f", "#6b6b6b", "#a3a3a3"];
const TEXT_ON = ["#ffffff", "#ffffff", "#000000", "#000000", "#000000", "#ffffff", "#ffffff", "#000000"];

/**
 * An inline SVG of horizontal 100% stacked bars, one per group, with a legend; a suppressed
 * bar is drawn as "n<30". The table beside it carries the same figures for screen readers.
 */
export function stackedBarChart(title: string, categories: string[], bars: StackedBar[], threshold: number): string {
  const labelWidth = 150;
  const barWidth = 460;
  const barHeight = 22;
  const gap = 8;
  const legendHeight = 22 * Math.ceil(categories.length / 3);
  const height = bars.length * (barHeight + gap) + legendHeight + 10;
  const rows = bars.map((bar, index) => {
    const y = index * (barHeight + gap);
    const label = `<text x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end">${escapeHtml(bar.label)}</text>`;
    if (!bar.shares) {
      return `${label}<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="${barHeight}" fill="#f2f2f2" stroke="#a3a3a3"/><text x="${labelWidth + 8}" y="${y + barHeight / 2 + 4}">n&lt;${threshold}: not shown</text>`;
    }
    let x = labelWidth;
    const segments = bar.shares.map((share, k) => {
      const width = share * barWidth;
      const segment = `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="${PALETTE[k % PALETTE.length]}"><title>${escapeHtml(`${bar.label}: ${categories[k]} ${Math.round(share * 100)}%`)}</title></rect>` +
        (width >= 30 ? `<text x="${(x + width / 2).toFixed(1)}" y="${y + barHeight / 2 + 4}" text-anchor="middle" fill="${TEXT_ON[k % TEXT_ON.length]}">${Math.round(share * 100)}%</text>` : "");
      x += width;
      return segment;
    });
    return label + segments.join("");
  });
  const legendTop = bars.length * (barHeight + gap) + 6;
  const legend = categories.map((category, k) => {
    const x = labelWidth + (k % 3) * 160;
    const y = legendTop + Math.floor(k / 3) * 22;
    return `<rect x="${x}" y="${y}" width="14" height="14" fill="${PALETTE[k % PALETTE.length]}"/><text x="${x + 20}" y="${y + 11}">${escapeHtml(category)}</text>`;
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(`${title}: stacked bar chart by group; the figures are in the table`)}" viewBox="0 0 ${labelWidth + barWidth + 10} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${rows.join("")}${legend.join("")}</svg>`;
}
