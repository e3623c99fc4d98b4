import gammainc from "@stdlib/math-base-special-gammainc";
import { StatisticsInputError } from "./statisticsInputError.ts";
import { assertTable } from "./validateCounts.ts";

/** Pearson's chi-square test of independence on an r x c table. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Expected counts under independence, row by row. */
  expected: number[][];
}

/**
 * Pearson's chi-square test of independence on an r x c table of counts, without continuity
 * correction (R: `chisq.test(m, correct = FALSE)`). The p-value is the regularized upper
 * incomplete gamma function, accurate for small p.
 * https://en.wikipedia.org/wiki/Pearson%27s_chi-squared_test
 *
 * @example chiSquareTest([[10, 20], [30, 40]]).p // 0.4386…
 */
export function chiSquareTest(table: readonly (readonly number[])[]): ChiSquareResult {
  assertTable(table, 2, 2);
  const rowTotals = table.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnTotals = table[0]!.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const n = rowTotals.reduce((sum, value) => sum + value, 0);
  if (rowTotals.includes(0) || columnTotals.includes(0)) {
    throw new StatisticsInputError("every row and column of the table needs at least one count");
  }
  const expected = rowTotals.map((rowTotal) => columnTotals.map((columnTotal) => (rowTotal * columnTotal) / n));
  let statistic = 0;
  table.forEach((row, i) =>
    row.forEach((observed, j) => {
      const e = expected[i]![j]!;
      statistic += ((observed - e) * (observed - e)) / e;
    }),
  );
  const df = (table.length - 1) * (table[0]!.length - 1);
  return { statistic, df, p: gammainc(statistic / 2, df / 2, true, true), expected };
}
