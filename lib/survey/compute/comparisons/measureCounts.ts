import type { Measure, Scale } from "../../config/cycleConfig.ts";

/** What a sample contributes to a comparison: successes and base for shares, base counts for distributions. */
export interface MeasuredSample {
  successes: number;
  base: number;
  /** Counts of the categories in the base, in scale order (for Mann-Whitney and r x c tables). */
  distribution: number[];
}

/**
 * Measures category counts (index k = the scale's k-th category; blanks not included) under a
 * comparison's measure: the positive share, the share in one category, or the whole distribution.
 * Categories outside the base (don't know, not used) never count.
 */
export function measureCounts(counts: readonly number[], scale: Scale, measure: Measure): MeasuredSample {
  const excluded = new Set(scale.excludedFromBase);
  const success = new Set(
    typeof measure === "object" ? [measure.category] : scale.positive,
  );
  let successes = 0;
  let base = 0;
  const distribution: number[] = [];
  scale.categories.forEach((label, k) => {
    if (excluded.has(label)) return;
    const n = counts[k] ?? 0;
    base += n;
    distribution.push(n);
    if (success.has(label)) successes += n;
  });
  return { successes, base, distribution };
}

/**
 * Whether a scale lists its positive answers before the other answers in its base (Strongly
 * agree … Strongly disagree) rather than after them (Strongly disagree … Strongly agree): by
 * the mean position of each, so a scale in either order gives the same direction.
 */
export function positiveFirst(scale: Scale): boolean {
  const positive = new Set(scale.positive);
  const excluded = new Set(scale.excludedFromBase);
  const inBase = scale.categories.filter((label) => !excluded.has(label));
  const meanPosition = (labels: string[]) => labels.reduce((sum, label) => sum + inBase.indexOf(label), 0) / Math.max(1, labels.length);
  return meanPosition(inBase.filter((label) => positive.has(label))) <= meanPosition(inBase.filter((label) => !positive.has(label)));
}

/** The measure as written in results: `positive`, `distribution` or `category: <label>`. */
export function describeMeasure(measure: Measure): string {
  return typeof measure === "object" ? `category: ${measure.category}` : measure;
}
