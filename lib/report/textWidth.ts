import { CHART_FONT_METRICS } from "./chartFontData.ts";

/** A weight of the charts' font. */
export type FontWeight = "regular" | "bold";

/** The family the charts embed and print with, then fonts with the same metrics (Arial's). */
export const CHART_FONT_FAMILY = "Arimo, Arial, Helvetica, 'Liberation Sans', sans-serif";

const ADVANCE: Record<FontWeight, Map<string, number>> = {
  regular: new Map([...CHART_FONT_METRICS.characters].map((c, i) => [c, CHART_FONT_METRICS.regular[i]!])),
  bold: new Map([...CHART_FONT_METRICS.characters].map((c, i) => [c, CHART_FONT_METRICS.bold[i]!])),
};

/** A character outside the font (drawn by a fallback font): taken as wide as the font's widest letter, "W", so it never clips. */
const UNKNOWN: Record<FontWeight, number> = { regular: ADVANCE.regular.get("W")!, bold: ADVANCE.bold.get("W")! };

/**
 * Width in pixels of one line of text in the charts' font (Arimo, with Arial's metrics) at
 * `size` px: the sum of its characters' advance widths, read from the font by
 * scripts/generate-chart-font.ts. Kerning only ever narrows Arial's pairs, so drawn text is at
 * most this wide.
 *
 * @example textWidth("SYE assessors") // 81.36 (12 px regular; 13 characters × 6.6 guessed 85.8)
 */
export function textWidth(text: string, size = 12, weight: FontWeight = "regular"): number {
  let units = 0;
  for (const character of text) units += ADVANCE[weight].get(character) ?? UNKNOWN[weight];
  return (units * size) / CHART_FONT_METRICS.unitsPerEm;
}

/**
 * The longest start of `text` that fits `width` px with an ellipsis after it ("…ability to
 * underta…" is never cut mid-glyph at the edge), or the text whole when it fits.
 *
 * @example fitWithEllipsis("Positive impact on my ability to undertake my role", 100) // "Positive impact…"
 */
export function fitWithEllipsis(text: string, width: number, size = 12, weight: FontWeight = "regular"): string {
  if (textWidth(text, size, weight) <= width) return text;
  const characters = [...text];
  while (characters.length > 0 && textWidth(`${characters.join("").trimEnd()}…`, size, weight) > width) characters.pop();
  return `${characters.join("").trimEnd()}…`;
}
