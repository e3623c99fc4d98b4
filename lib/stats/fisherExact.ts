import gammaln from "@stdlib/math-base-special-gammaln";
import { StatisticsInputError } from "./statisticsInputError.ts";
import { assertTable } from "./validateCounts.ts";

/**
 * Fisher's exact test on a 2 x 2 table, two-sided: the probability, given the margins, of a
 * table at most as likely as the one observed (R: `fisher.test(m)$p.value`, with R's relative
 * tolerance of 1e-7 when comparing probabilities).
 * https://en.wikipedia.org/wiki/Fisher%27s_exact_test
 *
 * @example fisherExact([[3, 1], [1, 3]]).p // 0.4857142857142857
 */
export function fisherExact(table: readonly (readonly number[])[]): { p: number } {
  assertTable(table, 2, 2);
  if (table.length !== 2 || table[0]!.length !== 2) {
    throw new StatisticsInputError("Fisher's exact test here takes a 2 x 2 table");
  }
  const [[a, b], [c, d]] = table as [[number, number], [number, number]];
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const low = Math.max(0, col1 - (n - row1));
  const high = Math.min(row1, col1);
  // log of the hypergeometric probability of x in the top-left cell, up to a constant
  const logP = (x: number) =>
    -(gammaln(x + 1) + gammaln(row1 - x + 1) + gammaln(col1 - x + 1) + gammaln(n - row1 - col1 + x + 1));
  const logs: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let x = low; x <= high; x++) {
    const value = logP(x);
    logs.push(value);
    if (value > max) max = value;
  }
  const densities = logs.map((value) => Math.exp(value - max));
  const total = densities.reduce((sum, value) => sum + value, 0);
  const observed = densities[a - low]! * (1 + 1e-7);
  const tail = densities.reduce((sum, value) => (value <= observed ? sum + value : sum), 0);
  return { p: Math.min(1, tail / total) };
}

