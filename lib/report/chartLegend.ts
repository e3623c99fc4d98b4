import { escapeHtml } from "./html.ts";

/** Approximate width of a label in the charts' 12 px sans-serif, for laying legends out. */
export function textWidth(text: string): number {
  return text.length * 6.6;
}

/**
 * A legend that wraps onto as many lines as it needs within `width`: every label whole, never
 * cut. Returns the SVG and its height.
 */
export function chartLegend(entries: { label: string; fill: string }[], x0: number, y0: number, width: number): { svg: string; height: number } {
  let x = x0;
  let y = y0;
  const parts = entries.map((entry) => {
    const w = 20 + textWidth(entry.label) + 16;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += 20;
    }
    const part = `<rect x="${x.toFixed(1)}" y="${y}" width="14" height="14" fill="${entry.fill}" stroke="#4d4d4d" stroke-width="0.5"/><text x="${(x + 20).toFixed(1)}" y="${y + 11}">${escapeHtml(entry.label)}</text>`;
    x += w;
    return part;
  });
  return { svg: parts.join(""), height: y - y0 + 20 };
}
