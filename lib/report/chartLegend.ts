import { escapeHtml } from "./html.ts";
import { textWidth } from "./textWidth.ts";

/** Swatch, gap to its label, and the space after the label before the next entry. */
const SWATCH = 14;
const LABEL_GAP = 6;
const ENTRY_GAP = 16;

/**
 * A legend that wraps onto as many lines as it needs within `width`: every label whole, never
 * cut, each entry as wide as its label in the charts' font ({@link textWidth}), so no two run
 * into each other. Returns the SVG and its height.
 */
export function chartLegend(entries: { label: string; fill: string }[], x0: number, y0: number, width: number): { svg: string; height: number } {
  let x = x0;
  let y = y0;
  const parts = entries.map((entry) => {
    const w = SWATCH + LABEL_GAP + textWidth(entry.label);
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += 20;
    }
    const part = `<rect x="${x.toFixed(1)}" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${entry.fill}" stroke="#4d4d4d" stroke-width="0.5"/><text x="${(x + SWATCH + LABEL_GAP).toFixed(1)}" y="${y + 11}">${escapeHtml(entry.label)}</text>`;
    x += w + ENTRY_GAP;
    return part;
  });
  return { svg: parts.join(""), height: y - y0 + 20 };
}
