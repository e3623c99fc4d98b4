/** What an answer category means, which decides its colour. */
export type CategoryMeaning = "positive-strong" | "positive" | "neutral" | "negative" | "negative-strong" | "excluded";

/**
 * Colours by meaning, blue for positive and orange for negative (safe for the common kinds of
 * colour blindness), each at a different lightness so that no two can be confused when printed
 * in greyscale (`tests/figures.test.ts` checks the luminance contrast of every pair, and of each
 * colour with its label text, from these values).
 */
export const PALETTE: Record<CategoryMeaning, { fill: string; text: string }> = {
  "positive-strong": { fill: "#08306b", text: "#ffffff" },
  positive: { fill: "#6fa3dc", text: "#000000" },
  neutral: { fill: "#767676", text: "#ffffff" },
  negative: { fill: "#f6b880", text: "#000000" },
  "negative-strong": { fill: "#8f3b08", text: "#ffffff" },
  excluded: { fill: "#ededed", text: "#000000" },
};

/**
 * The meaning of each category of a scale listed positive first: the positive labels; a middle
 * category when the base has one between as many positive as negative answers (Neither agree
 * nor disagree); the rest negative, the last the strongest; labels outside the base excluded.
 */
export function categoryMeanings(categories: readonly string[], positive: readonly string[], excluded: readonly string[]): CategoryMeaning[] {
  const inBase = categories.filter((c) => !excluded.includes(c));
  const positives = inBase.filter((c) => positive.includes(c));
  const hasNeutral = inBase.length === 2 * positives.length + 1;
  const negatives = inBase.filter((c) => !positive.includes(c)).slice(hasNeutral ? 1 : 0);
  return categories.map((category) => {
    if (excluded.includes(category)) return "excluded";
    const p = positives.indexOf(category);
    if (p >= 0) return positives.length > 1 && p === 0 ? "positive-strong" : "positive";
    const n = negatives.indexOf(category);
    if (n < 0) return "neutral";
    return negatives.length > 1 && n === negatives.length - 1 ? "negative-strong" : "negative";
  });
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}
