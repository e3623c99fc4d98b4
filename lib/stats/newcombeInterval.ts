import { StatisticsInputError } from "./statisticsInputError.ts";
import { wilsonInterval } from "./wilsonInterval.ts";

/**
 * Newcombe's hybrid score interval for the difference of two independent proportions,
 * a/m − b/n (Newcombe 1998, "Interval estimation for the difference between independent
 * proportions", Statistics in Medicine 17:873–890, method 10): from each proportion's Wilson
 * score interval (l₁, u₁) and (l₂, u₂),
 * lower = δ − √((p₁ − l₁)² + (u₂ − p₂)²), upper = δ + √((u₁ − p₁)² + (p₂ − l₂)²).
 * Unlike the Wald interval it stays within [−1, 1] and keeps its coverage at small n and near
 * 0% or 100%.
 *
 * @example newcombeInterval(56, 70, 48, 80) // { estimate: 0.2, lower: 0.0524…, upper: 0.3339… }
 */
export function newcombeInterval(a: number, m: number, b: number, n: number, confidence = 0.95): { estimate: number; lower: number; upper: number } {
  if (m === 0 || n === 0) throw new StatisticsInputError("a difference of proportions needs at least one trial on each side");
  const p1 = a / m;
  const p2 = b / n;
  const one = wilsonInterval(a, m, confidence);
  const two = wilsonInterval(b, n, confidence);
  const estimate = p1 - p2;
  return {
    estimate,
    lower: estimate - Math.sqrt((p1 - one.lower) ** 2 + (two.upper - p2) ** 2),
    upper: estimate + Math.sqrt((one.upper - p1) ** 2 + (p2 - two.lower) ** 2),
  };
}
