import { StatisticsInputError } from "./statisticsInputError.ts";
import { normalUpperTail } from "./normalTail.ts";
import { assertCounts } from "./validateCounts.ts";

/** The Mann-Whitney U (Wilcoxon rank-sum) test result. */
export interface MannWhitneyResult {
  /** U of the first sample (R's W): rank sum of x minus n1(n1 + 1)/2. */
  U: number;
  /** The continuity-corrected normal deviate. */
  z: number;
  p: number;
}

/**
 * Mann-Whitney U test from category counts of an ordered scale: `x[k]` and `y[k]` are how many
 * of each sample fell in category k (in scale order). Normal approximation with tie correction
 * and continuity correction, two-sided (R: `wilcox.test(x, y, exact = FALSE, correct = TRUE)`).
 * Costs O(categories), whatever the number of respondents.
 * https://en.wikipedia.org/wiki/Mann%E2%80%93Whitney_U_test
 *
 * @example mannWhitneyUFromCounts([0, 1, 2], [2, 1, 0]).U // 8.5 (pairs where x comes later, plus half the ties)
 */
export function mannWhitneyUFromCounts(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  assertCounts(x, "category counts");
  assertCounts(y, "category counts");
  if (x.length !== y.length) throw new StatisticsInputError("both samples need counts for the same categories");
  const n1 = x.reduce((sum, value) => sum + value, 0);
  const n2 = y.reduce((sum, value) => sum + value, 0);
  if (n1 === 0 || n2 === 0) throw new StatisticsInputError("each sample needs at least one observation");
  const n = n1 + n2;
  let below = 0;
  let rankSumX = 0;
  let ties = 0;
  for (let k = 0; k < x.length; k++) {
    const t = x[k]! + y[k]!;
    if (t === 0) continue;
    const midRank = below + (t + 1) / 2;
    rankSumX += x[k]! * midRank;
    ties += t * t * t - t;
    below += t;
  }
  const U = rankSumX - (n1 * (n1 + 1)) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (!(sigma > 0)) throw new StatisticsInputError("every observation is tied: the test is undefined");
  const centred = U - (n1 * n2) / 2;
  const z = (centred - Math.sign(centred) * 0.5) / sigma;
  return { U, z, p: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/**
 * Mann-Whitney U test on raw ordinal values (R: `wilcox.test(x, y, exact = FALSE, correct = TRUE)`,
 * U = R's W). Values are tallied into categories first.
 *
 * @example mannWhitneyU([1, 2, 3], [4, 5, 6]).U // 0
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  for (const value of [...x, ...y]) {
    if (!Number.isFinite(value)) throw new StatisticsInputError(`values must be finite numbers, got ${value}`);
  }
  const levels = [...new Set([...x, ...y])].sort((a, b) => a - b);
  const index = new Map(levels.map((value, k) => [value, k]));
  const tally = (values: readonly number[]) => {
    const counts = new Array<number>(levels.length).fill(0);
    for (const value of values) counts[index.get(value)!]!++;
    return counts;
  };
  return mannWhitneyUFromCounts(tally(x), tally(y));
}
