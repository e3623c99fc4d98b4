import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareTest } from "../lib/stats/chiSquareTest.ts";
import { raoScottChiSquare, type RaoScottResult } from "../lib/stats/raoScottChiSquare.ts";
import { StatisticsInputError } from "../lib/stats/statisticsInputError.ts";

type Answer = string | number | boolean | null;

/**
 * A case written by tests/fixtures/weighting/make-fixtures.R: R's
 * svychisq(~a + b, subset(design, !is.na(a) & !is.na(b)), statistic = "F"), or the error R stopped with.
 */
interface Fixture {
  name: string;
  a: Answer[];
  b: Answer[];
  weights: number[];
  expected: (RaoScottResult & { warnings: string[] }) | { error: string };
}

const fixtures = JSON.parse(readFileSync("tests/fixtures/weighting/raoScott.json", "utf8")) as Fixture[];

/** 1e-6 relative to R, tiny p-values included. */
function expectMatchesR(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(1e-6 * Math.abs(expected));
}

const tested = fixtures.flatMap((f) => ("error" in f.expected ? [] : [{ ...f, expected: f.expected }]));
const refused = fixtures.filter((f) => "error" in f.expected);

describe("raoScottChiSquare matches R's svychisq(statistic = \"F\")", () => {
  it(`F, ndf, ddf and p on 2 x 2 to 4 x 5 tables (${tested.length} cases)`, () => {
    for (const f of tested) {
      const result = raoScottChiSquare(f.a, f.b, f.weights);
      for (const field of ["statistic", "ndf", "ddf", "p"] as const) expectMatchesR(result[field], f.expected[field], `${f.name} ${field}`);
    }
  });

  it("p-values far below 1e-16 keep their precision (the upper tail is never 1 − cdf)", () => {
    const tiny = tested.filter((f) => f.expected.p < 1e-20);
    expect(tiny.length).toBeGreaterThan(0);
    for (const f of tiny) expectMatchesR(raoScottChiSquare(f.a, f.b, f.weights).p, f.expected.p, f.name);
  });

  it(`refuses, as R does, a table whose empty cells leave an interaction with no data (${refused.length} cases)`, () => {
    for (const f of refused) {
      expect((f.expected as { error: string }).error).toMatch(/singular/);
      expect(() => raoScottChiSquare(f.a, f.b, f.weights), f.name).toThrow(StatisticsInputError);
    }
  });
});

describe("a case worked by hand", () => {
  it("equal weights: Δ = n/(n − 1) I, so F = X² (n − 1)/n on 1 and n − 1 df (2 x 2, n = 60)", () => {
    const f = tested.find((c) => c.name.startsWith("hand:"))!;
    const result = raoScottChiSquare(f.a, f.b, f.weights);
    // 30 men (20 yes, 10 no) and 30 women (12 yes, 18 no); Pearson's X² is chisq.test's (R-checked in stats.test.ts).
    const pearson = chiSquareTest([[20, 10], [12, 18]]).statistic;
    expect(result.statistic).toBeCloseTo((pearson * 59) / 60, 12);
    expect(result.ndf).toBeCloseTo(1, 12);
    expect(result.ddf).toBeCloseTo(59, 10);
    for (const field of ["statistic", "ndf", "ddf", "p"] as const) expectMatchesR(result[field], f.expected[field], field);
  });

  it("leaves out respondents with a null in either answer, and categories only they had", () => {
    const a = ["x", "x", "y", "y", "z", null, "x", "y"];
    const b = [true, false, true, false, null, true, true, false];
    const weights = [1, 2, 1, 3, 5, 7, 2, 1];
    const kept = [0, 1, 2, 3, 6, 7];
    const alone = raoScottChiSquare(kept.map((i) => a[i]!), kept.map((i) => b[i]!), kept.map((i) => weights[i]!));
    const withNulls = raoScottChiSquare(a, b, weights);
    // The same F and ndf; ddf counts the 6 who answered both; the variance keeps the domain's n = 8.
    expect(withNulls.ddf / withNulls.ndf).toBe(5);
    expect(withNulls.statistic).not.toBe(alone.statistic);
    expect(withNulls.statistic).toBeCloseTo((alone.statistic * (6 / 5)) / (8 / 7), 12);
  });
});

describe("invalid input throws StatisticsInputError", () => {
  it.each([
    ["answers of different lengths", () => raoScottChiSquare(["a", "b"], ["x"], [1, 1])],
    ["weights of another length", () => raoScottChiSquare(["a", "b"], ["x", "y"], [1])],
    ["a negative weight", () => raoScottChiSquare(["a", "b"], ["x", "y"], [1, -1])],
    ["a weight that is not finite", () => raoScottChiSquare(["a", "b"], ["x", "y"], [1, Number.POSITIVE_INFINITY])],
    ["one category in the first variable", () => raoScottChiSquare(["a", "a", "a"], ["x", "y", "x"], [1, 1, 1])],
    ["one category once nulls are left out", () => raoScottChiSquare(["a", "a", "b"], ["x", "y", null], [1, 1, 1])],
    ["no respondent answered both", () => raoScottChiSquare(["a", null], [null, "y"], [1, 1])],
    ["a category whose respondents all weigh 0", () => raoScottChiSquare(["a", "a", "b", "b", "c"], ["x", "y", "x", "y", "x"], [1, 1, 1, 1, 0])],
  ])("%s", (_name, call) => {
    expect(call).toThrow(StatisticsInputError);
  });

  it("names the variable", () => {
    expect(() => raoScottChiSquare(["a", "b", "c"], [1, 1, 1], [1, 1, 1])).toThrow("the second variable has 1 categories");
  });
});
