import quantile from "@stdlib/stats-base-dists-normal-quantile";
import { StatisticsInputError } from "./statisticsInputError.ts";
import { assertCounts } from "./validateCounts.ts";

/**
 * The Wilson score interval for a proportion (R: `prop.test(x, n, correct = FALSE)$conf.int`).
 * https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval
 *
 * @example wilsonInterval(43, 52) // { lower: 0.7029…, upper: 0.9063… }
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  assertCounts([successes, n], "successes and trials");
  if (n === 0) throw new StatisticsInputError("a proportion needs at least one trial");
  if (successes > n) throw new StatisticsInputError(`successes (${successes}) cannot exceed trials (${n})`);
  if (!(confidence > 0 && confidence < 1)) throw new StatisticsInputError("confidence must be between 0 and 1");
  const z = quantile((1 + confidence) / 2, 0, 1);
  const estimate = successes / n;
  const z22n = (z * z) / (2 * n);
  const spread = z * Math.sqrt((estimate * (1 - estimate)) / n + z22n / (2 * n));
  return {
    lower: estimate <= 0 ? 0 : (estimate + z22n - spread) / (1 + 2 * z22n),
    upper: estimate >= 1 ? 1 : (estimate + z22n + spread) / (1 + 2 * z22n),
  };
}
