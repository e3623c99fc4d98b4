import type { RakeStep } from "./rake.ts";
import { StatisticsInputError } from "./statisticsInputError.ts";

/**
 * What the variance of a raked design reads from each of `rake`'s steps (R: an index of the
 * "raking" entry of `design$postStrata`, the last sweep's post-stratifications in order):
 * `index[i]`, respondent i's category (only which respondents share one matters), and
 * `weights[i]`, the respondent's weight just after the step (R: `attr(index, "weights")`).
 */
export type CalibrationStep = Pick<RakeStep, "variable" | "index" | "weights">;

/** R's svyrecvar sweeps the raking margins this many times, whatever the data. */
const RAKING_SWEEPS = 10;

/** Throws {@link StatisticsInputError} unless there is one finite, non-negative weight per respondent. */
export function assertWeights(weights: readonly number[], respondents: number, what = "weights"): void {
  if (weights.length !== respondents) {
    throw new StatisticsInputError(`${what}: ${weights.length} for ${respondents} respondents (one weight per respondent)`);
  }
  weights.forEach((weight, i) => {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new StatisticsInputError(`${what}: respondent ${i + 1} has weight ${weight} (weights must be finite and not negative)`);
    }
  });
}

/** Throws unless every calibration step has a category and a finite, non-negative weight for each respondent. */
export function assertCalibrationSteps(steps: readonly CalibrationStep[], respondents: number): void {
  for (const step of steps) {
    if (step.index.length !== respondents) {
      throw new StatisticsInputError(`calibration step ${step.variable}: ${step.index.length} categories for ${respondents} respondents`);
    }
    if (step.index.some((category) => !Number.isInteger(category))) {
      throw new StatisticsInputError(`calibration step ${step.variable}: categories must be given by whole-number index`);
    }
    assertWeights(step.weights, respondents, `calibration step ${step.variable}`);
  }
}

/**
 * The covariance matrix of estimators whose influence values (one array per estimator, one value
 * per respondent, 0 for a respondent outside the domain) are given, by linearisation in the design
 * `svydesign(ids = ~1, weights = ~w)`: each respondent its own PSU, no strata, no fpc. This is
 * R's `survey:::svyrecvar`: with calibration, each influence array is first projected on the
 * raking margins (ten sweeps over the steps, each taking from x the weight times the category's
 * mean of x / weight, means over every respondent, in the domain or not), then
 * `onestrat`: centred over all n respondents and scaled by n / (n − 1). Respondents outside
 * the domain stay in n, which is what makes this R's domain variance.
 */
export function linearisationCovariance(influence: readonly Float64Array[], steps: readonly CalibrationStep[] = []): number[][] {
  const x = influence.map((column) => Float64Array.from(column));
  if (steps.length > 0) for (const column of x) projectOnRakingMargins(column, steps);
  const n = x[0]?.length ?? 0;
  for (const column of x) {
    const mean = column.reduce((sum, value) => sum + value, 0) / n;
    for (let i = 0; i < n; i++) column[i]! -= mean;
  }
  const scale = n > 1 ? n / (n - 1) : 1;
  return x.map((a) =>
    x.map((b) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
      return sum * scale;
    }),
  );
}

/**
 * R's raking branch of svyrecvar, in place: `x <- x - psw * ave(x / psw, margin)`, ten times over
 * the steps. A respondent whose weight is 0 adds 0 to the category's mean (R: 0 / 0, NaN).
 */
function projectOnRakingMargins(x: Float64Array, steps: readonly CalibrationStep[]): void {
  for (let sweep = 0; sweep < RAKING_SWEEPS; sweep++) {
    for (const { index, weights } of steps) {
      const sums = new Map<number, { sum: number; count: number }>();
      index.forEach((category, i) => {
        const entry = sums.get(category) ?? { sum: 0, count: 0 };
        entry.sum += weights[i]! === 0 ? 0 : x[i]! / weights[i]!;
        entry.count += 1;
        sums.set(category, entry);
      });
      index.forEach((category, i) => {
        const { sum, count } = sums.get(category)!;
        x[i]! -= weights[i]! * (sum / count);
      });
    }
  }
}
