import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { assertCalibrationSteps, assertWeights, linearisationCovariance, type CalibrationStep } from "./designVariance.ts";
import { StatisticsInputError } from "./statisticsInputError.ts";

/** A weighted share with its survey standard error, intervals and design effect. */
export interface WeightedShare {
  /** The weighted share positive among respondents in base, 0 to 1 (R: `svymean`). */
  estimate: number;
  /** Its standard error by linearisation (R: `SE(svymean(...))`), for the raked design when calibrated. */
  standardError: number;
  /** 95% interval as `svyciprop(method = "logit")`: Wald on the logit scale with t on `df`. */
  lower95: number;
  upper95: number;
  /** 95% interval as `svyciprop(method = "beta")` (Korn and Graubard's). */
  betaLower95: number;
  betaUpper95: number;
  /** Kish's design effect of the weights in base, n Σw² / (Σw)², n counting positive weights. */
  designEffect: number;
  /** Kish's effective n of the weights in base, (Σw)² / Σw². */
  effectiveN: number;
  /** Respondents in base (unweighted: suppression reads this). */
  base: number;
  /** Degrees of freedom of the intervals: respondents in base with a positive weight, less 1 (R: `degf`). */
  df: number;
}

/** `rake`'s result (lib/stats/rake.ts) or anything with its steps: the post-stratifications the raked design's variance projects on. */
export interface Calibration {
  steps: readonly CalibrationStep[];
}

const LEVEL = 0.95;

/**
 * The weighted share of respondents answering positively, as R's survey package estimates it in
 * `svydesign(ids = ~1, weights = ~w, data = d)`. Respondents whose answer is null are out of base:
 * the share is a domain estimate, `subset(design, inBase)`, so they stay in the design's n for the
 * variance (R's domain variance, and what `svymean(~y, design, na.rm = TRUE)` gives), not a
 * design built on the respondents in base alone.
 *
 * - estimate, standardError: `svymean(~y, subset(design, inBase))`; with `calibration` (the result
 *   of `rake`, its steps being R's `design$postStrata`), the raked design's linearisation, as
 *   `svymean` after `rake()` (and `trimWeights()`, the weights then being the trimmed ones) in R.
 * - lower95, upper95: `svyciprop(~y, subset(design, inBase), method = "logit")`, i.e.
 *   expit(logit(p) ± t(0.975, df) SE / (p(1 − p))), df = `degf(design)`: the respondents in base
 *   with a positive weight, less 1 (base − 1 when no weight is 0).
 * - betaLower95, betaUpper95: `svyciprop(..., method = "beta")`: effective n p(1 − p) / SE² times
 *   (t(nrow − 1) / t(df))², nrow being R's `nrow(design)`: the base, but every respondent for a
 *   raked design (whose subset keeps its rows), so the two differ only when some are out of base.
 * - designEffect, effectiveN: Kish's, from the weights alone (not svymean's `deff`, which is the
 *   variable's own design effect; `deff = "replace"` equals Kish's only at p = ½ with nobody out
 *   of base).
 *
 * Where R's own arithmetic breaks down this gives the value R's formula stands for:
 * - every answer in base the same (0% or 100%): R's logit limits are wherever glm stopped (about
 *   1e-11 from the estimate, or NaN) and its beta limits NaN (effective n 0 / 0): here the logit
 *   limits are the estimate, their limit, and the beta limits use Kish's effective n;
 * - df = 1: confint.svyglm's level 1 − 2 pnorm(qt(0.025, 1)) rounds to 1, so R's logit limits
 *   are 0 and NaN: here the t limits.
 * With df below 1 every limit is NaN, as in R.
 *
 * @example weightedShare([true, false, false, true, null], [1, 1, 2, 4, 3])
 * // { estimate: 0.625, standardError: 0.29127…, lower95: 0.03094…, upper95: 0.98864…, base: 4, df: 3, … } (R: svymean, svyciprop)
 */
export function weightedShare(
  positive: readonly (boolean | null)[],
  weights: readonly number[],
  options: { calibration?: Calibration } = {},
): WeightedShare {
  assertWeights(weights, positive.length);
  const steps = options.calibration?.steps ?? [];
  assertCalibrationSteps(steps, positive.length);
  const inBase = positive.map((answer) => answer !== null);
  const base = inBase.filter(Boolean).length;
  if (base === 0) throw new StatisticsInputError("a share needs at least one respondent in base (every answer is null)");
  const weighted = weightsInBase(positive, weights);
  if (weighted.total === 0) throw new StatisticsInputError(`the ${base} respondents in base all have weight 0`);
  const estimate = weighted.allSame ? weighted.same : weighted.positive / weighted.total;
  const influence = Float64Array.from(positive, (answer, i) =>
    answer === null ? 0 : (weights[i]! * (Number(answer) - estimate)) / weighted.total,
  );
  const variance = linearisationCovariance([influence], steps)[0]![0]!;
  const standardError = weighted.allSame ? 0 : Math.sqrt(variance);
  const df = weighted.count - 1;
  const effectiveN = (weighted.total * weighted.total) / weighted.squares;
  const rows = steps.length > 0 ? positive.length : base;
  const logit = logitInterval(estimate, standardError, df);
  const nEff = weighted.allSame ? effectiveN : (estimate * (1 - estimate)) / variance;
  const beta = betaInterval(estimate, nEff, rows, df);
  return {
    estimate,
    standardError,
    lower95: logit.lower,
    upper95: logit.upper,
    betaLower95: beta.lower,
    betaUpper95: beta.upper,
    designEffect: weighted.count / effectiveN,
    effectiveN,
    base,
    df,
  };
}

/** Sums over respondents in base with a positive weight, and whether they all answered alike. */
function weightsInBase(positive: readonly (boolean | null)[], weights: readonly number[]) {
  let total = 0;
  let positiveTotal = 0;
  let squares = 0;
  let count = 0;
  const answers = new Set<boolean>();
  positive.forEach((answer, i) => {
    const weight = weights[i]!;
    if (answer === null || weight === 0) return;
    total += weight;
    squares += weight * weight;
    count += 1;
    if (answer) positiveTotal += weight;
    answers.add(answer);
  });
  return { total, positive: positiveTotal, squares, count, allSame: answers.size === 1, same: answers.has(true) ? 1 : 0 };
}

/**
 * svyciprop's "logit" limits: svyglm's intercept-only quasibinomial fit has coefficient logit(p)
 * and variance Var(p) / (p(1 − p))², and confint.svyglm takes t on `df` (via pnorm and qnorm,
 * which is the same quantile). R gives NaN for df below 1.
 */
function logitInterval(estimate: number, standardError: number, df: number): { lower: number; upper: number } {
  if (!(df >= 1)) return { lower: Number.NaN, upper: Number.NaN };
  if (estimate === 0 || estimate === 1) return { lower: estimate, upper: estimate };
  const centre = Math.log(estimate / (1 - estimate));
  const spread = (tQuantile(1 - (1 - LEVEL) / 2, df) * standardError) / (estimate * (1 - estimate));
  const expit = (eta: number) => 1 / (1 + Math.exp(-eta));
  return { lower: expit(centre - spread), upper: expit(centre + spread) };
}

/**
 * svyciprop's "beta" limits: Clopper-Pearson's beta quantiles on an effective n, which svyciprop
 * scales by (t(nrow − 1) / t(df))², nrow being R's `nrow(design)` (respondents in base, or every
 * respondent for a raked design, whose subset keeps its rows).
 */
function betaInterval(estimate: number, nEff: number, rows: number, df: number): { lower: number; upper: number } {
  const q = 1 - (1 - LEVEL) / 2;
  const ratio = tQuantile(q, rows - 1) / tQuantile(q, df);
  const n = nEff * ratio * ratio;
  return {
    lower: quantileOfBeta((1 - LEVEL) / 2, n * estimate, n * (1 - estimate) + 1),
    upper: quantileOfBeta(q, n * estimate + 1, n * (1 - estimate)),
  };
}

/** R's qbeta, whose shape 0 is a point mass (at 0 for the first, 1 for the second), where stdlib gives NaN. */
function quantileOfBeta(p: number, a: number, b: number): number {
  if (a === 0 && b > 0) return 0;
  if (b === 0 && a > 0) return 1;
  return betaQuantile(p, a, b);
}
