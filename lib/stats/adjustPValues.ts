import { StatisticsInputError } from "./statisticsInputError.ts";

/** Multiple-comparison adjustments: Holm (family-wise error) or Benjamini-Hochberg (false discovery rate). */
export type AdjustmentMethod = "holm" | "BH";

/**
 * Adjusts p-values for multiple comparisons within one family (R: `p.adjust(p, "holm" / "BH")`).
 * https://en.wikipedia.org/wiki/Holm%E2%80%93Bonferroni_method
 *
 * @example adjustPValues([0.01, 0.04, 0.03], "holm") // [0.03, 0.06, 0.06]
 */
export function adjustPValues(p: readonly number[], method: AdjustmentMethod): number[] {
  for (const value of p) {
    if (!(value >= 0 && value <= 1)) throw new StatisticsInputError(`p-values must be between 0 and 1, got ${value}`);
  }
  const n = p.length;
  const adjusted = new Array<number>(n);
  if (method === "holm") {
    const order = p.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value || a.i - b.i);
    let running = 0;
    order.forEach(({ value, i }, rank) => {
      running = Math.max(running, (n - rank) * value);
      adjusted[i] = Math.min(1, running);
    });
  } else {
    const order = p.map((value, i) => ({ value, i })).sort((a, b) => b.value - a.value || a.i - b.i);
    let running = 1;
    order.forEach(({ value, i }, position) => {
      running = Math.min(running, (n / (n - position)) * value);
      adjusted[i] = Math.min(1, running);
    });
  }
  return adjusted;
}
