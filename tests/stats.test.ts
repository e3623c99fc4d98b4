import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adjustPValues } from "../lib/stats/adjustPValues.ts";
import { chiSquareTest } from "../lib/stats/chiSquareTest.ts";
import { fisherExact } from "../lib/stats/fisherExact.ts";
import { mannWhitneyU, mannWhitneyUFromCounts } from "../lib/stats/mannWhitneyU.ts";
import { StatisticsInputError } from "../lib/stats/statisticsInputError.ts";
import { wilsonInterval } from "../lib/stats/wilsonInterval.ts";

// Reference values written by tests/fixtures/stats/make-fixtures.R (R's own functions).
const reference = JSON.parse(readFileSync("tests/fixtures/stats/reference.json", "utf8")) as {
  fisher: { table: number[][]; p: number }[];
  chisq: { table: number[][]; statistic: number; df: number; p: number }[];
  wilcox: { x: number[]; y: number[]; U: number; p: number }[];
  wilson: { successes: number; n: number; confidence: number; lower: number; upper: number }[];
  padjust: { p: number[]; holm: number[]; BH: number[] }[];
};

/** Agreement with R: 1e-6 relative, or 1e-9 absolute for values below 1e-3. */
function expectMatchesR(actual: number, expected: number, label: string): void {
  const tolerance = Math.abs(expected) < 1e-3 ? 1e-9 : 1e-6 * Math.abs(expected);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tolerance);
}

const expand = (counts: number[]) => counts.flatMap((n, k) => Array<number>(n).fill(k + 1));

describe("lib/stats matches R", () => {
  it(`fisherExact = fisher.test()$p.value (${reference.fisher.length} tables)`, () => {
    for (const { table, p } of reference.fisher) expectMatchesR(fisherExact(table).p, p, JSON.stringify(table));
  });

  it(`chiSquareTest = chisq.test(correct = FALSE) (${reference.chisq.length} tables)`, () => {
    for (const { table, statistic, df, p } of reference.chisq) {
      const result = chiSquareTest(table);
      expectMatchesR(result.statistic, statistic, `${JSON.stringify(table)} statistic`);
      expect(result.df).toBe(df);
      expectMatchesR(result.p, p, `${JSON.stringify(table)} p`);
    }
  });

  it(`mannWhitneyU = wilcox.test(exact = FALSE, correct = TRUE) (${reference.wilcox.length} pairs)`, () => {
    for (const { x, y, U, p } of reference.wilcox) {
      const fromCounts = mannWhitneyUFromCounts(x, y);
      expectMatchesR(fromCounts.U, U, `U ${x} | ${y}`);
      expectMatchesR(fromCounts.p, p, `p ${x} | ${y}`);
      const fromValues = mannWhitneyU(expand(x), expand(y));
      expect(fromValues.U).toBe(fromCounts.U);
      expect(fromValues.p).toBe(fromCounts.p);
    }
  });

  it(`wilsonInterval = prop.test(correct = FALSE)$conf.int (${reference.wilson.length} cases)`, () => {
    for (const { successes, n, confidence, lower, upper } of reference.wilson) {
      const interval = wilsonInterval(successes, n, confidence);
      expectMatchesR(interval.lower, lower, `${successes}/${n} lower`);
      expectMatchesR(interval.upper, upper, `${successes}/${n} upper`);
    }
  });

  it(`adjustPValues = p.adjust() (${reference.padjust.length} families)`, () => {
    for (const { p, holm, BH } of reference.padjust) {
      adjustPValues(p, "holm").forEach((value, i) => expectMatchesR(value, holm[i]!, `holm ${p}`));
      adjustPValues(p, "BH").forEach((value, i) => expectMatchesR(value, BH[i]!, `BH ${p}`));
    }
  });
});

describe("invalid input throws StatisticsInputError", () => {
  it.each([
    ["negative counts", () => fisherExact([[1, -1], [2, 3]])],
    ["non-integer counts", () => chiSquareTest([[1.5, 2], [3, 4]])],
    ["a ragged table", () => chiSquareTest([[1, 2], [3]])],
    ["an empty margin", () => chiSquareTest([[0, 0], [3, 4]])],
    ["an empty group", () => mannWhitneyUFromCounts([0, 0, 0], [1, 2, 3])],
    ["all observations tied", () => mannWhitneyU([2, 2], [2, 2])],
    ["more successes than trials", () => wilsonInterval(5, 4)],
    ["no trials", () => wilsonInterval(0, 0)],
    ["a p-value above 1", () => adjustPValues([0.2, 1.2], "holm")],
  ])("%s", (_name, call) => {
    expect(call).toThrow(StatisticsInputError);
  });
});
