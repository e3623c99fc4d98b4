import { StatisticsInputError } from "./statisticsInputError.ts";

/** Trimming bounds (either may be left out) and whether to trim until every weight is within them. */
export interface TrimBounds {
  lower?: number;
  upper?: number;
  /** Trim again while the shares handed out push a weight outside the bounds (R's `strict = TRUE`). */
  strict?: boolean;
}

/** Strict trimming that has not settled after this many rounds is refused: with feasible bounds it settles in tens. */
const MAX_ROUNDS = 10_000;

/**
 * Trims weights to bounds as R's `survey::trimWeights(design, upper, lower, strict)`: each
 * weight outside the bounds is set to the bound, and what is cut out (or added) is shared
 * equally, additively, among the weights that were inside the bounds, so the total is kept. The
 * shares can push a weight past a bound; with `strict` that is trimmed again, round after
 * round, until no weight is outside (a weight already at a bound is inside, and takes its share
 * in the next round, as in R). When every weight is outside, they are set to the bounds and the
 * total is not kept (R: nothing to share among).
 *
 * Strict bounds no weights can meet (their total above n × upper or below n × lower) throw
 * {@link StatisticsInputError}; R recurses until its stack runs out. R also runs out on feasible
 * bounds b for which 1/(1/b) is not b (it keeps weights as probabilities, so a weight trimmed
 * to b reads back a hair outside b forever); here weights are kept as weights, so that cannot
 * happen.
 *
 * @example
 * trimWeights([1, 2, 3, 10], { upper: 5 }).weights // [2.667, 3.667, 4.667, 5]: the 5 cut from 10 shared by three
 */
export function trimWeights(weights: readonly number[], bounds: TrimBounds): { weights: number[] } {
  const lower = bounds.lower ?? Number.NEGATIVE_INFINITY;
  const upper = bounds.upper ?? Number.POSITIVE_INFINITY;
  validate(weights, lower, upper, bounds.strict === true);
  let current = [...weights];
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const next = trimOnce(current, lower, upper);
    if (next === undefined) return { weights: current };
    if (bounds.strict !== true) return { weights: next };
    current = next;
  }
  throw new StatisticsInputError(`strict trimming to [${lower}, ${upper}] did not settle in ${MAX_ROUNDS} rounds`);
}

/** One round of R's trimming, or undefined when no weight is outside the bounds. */
function trimOnce(weights: readonly number[], lower: number, upper: number): number[] | undefined {
  const outside = weights.map((weight) => weight < lower || weight > upper);
  const inside = outside.filter((out) => !out).length;
  if (inside === weights.length) return undefined;
  const trimmed = weights.map((weight) => Math.max(lower, Math.min(weight, upper)));
  const cut = weights.reduce((total, weight, i) => total + (weight - trimmed[i]!), 0);
  return trimmed.map((weight, i) => (outside[i] ? weight : weight + cut / inside));
}

/** Positive finite weights; bounds that are numbers, lower not above upper; strict bounds that the total can meet. */
function validate(weights: readonly number[], lower: number, upper: number, strict: boolean): void {
  if (weights.length === 0) throw new StatisticsInputError("trimming needs at least one weight");
  weights.forEach((weight, i) => {
    if (!Number.isFinite(weight) || weight <= 0) throw new StatisticsInputError(`weights must be positive and finite: weight ${i + 1} is ${weight}`);
  });
  if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) throw new StatisticsInputError(`trimming bounds must be numbers with lower at most upper, got [${lower}, ${upper}]`);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const n = weights.length;
  if (strict && (total > n * upper || total < n * lower)) {
    throw new StatisticsInputError(`strict trimming to [${lower}, ${upper}] is impossible: ${n} weights summing to ${total} cannot all lie within it`);
  }
}
