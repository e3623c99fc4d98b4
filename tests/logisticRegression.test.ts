import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { logisticRegression } from "../lib/stats/logisticRegression.ts";
import { StatisticsInputError } from "../lib/stats/statisticsInputError.ts";

/** A case written by tests/fixtures/logistic/make-fixtures.R from R's glm and brglm2 (null: R's NA). */
interface Fixture {
  name: string;
  X: number[][];
  y: number[];
  glm: Record<"coefficients" | "standardErrors" | "z" | "p" | "oddsRatios" | "lower95" | "upper95", (number | null)[]> & { deviance: number; iterations: number; converged: boolean; warnings: string[] };
  firth: { coefficients: (number | null)[]; standardErrors: (number | null)[] };
}

const load = (name: string): Fixture => JSON.parse(readFileSync(`tests/fixtures/logistic/${name}.json`, "utf8")) as Fixture;

/** R's tolerance for this project: 1e-6 relative, or 1e-9 absolute below 1e-3; R's NA is our NaN. */
function expectCloseToR(actual: readonly number[], expected: readonly (number | null)[], what: string): void {
  expect(actual, what).toHaveLength(expected.length);
  expected.forEach((r, i) => {
    if (r === null) {
      expect(actual[i], `${what}[${i}] is NA in R`).toBeNaN();
      return;
    }
    const tolerance = Math.abs(r) < 1e-3 ? 1e-9 : 1e-6 * Math.abs(r);
    expect(Math.abs(actual[i]! - r), `${what}[${i}]: ${actual[i]} vs R ${r}`).toBeLessThanOrEqual(tolerance);
  });
}

describe("logistic regression against R's glm (maximum likelihood)", () => {
  for (const name of ["balanced", "rare-events", "collinear"]) {
    it(`matches glm(y ~ X - 1, family = binomial) and confint.default on the ${name} case`, () => {
      const f = load(name);
      const fit = logisticRegression(f.X, f.y);
      for (const field of ["coefficients", "standardErrors", "z", "p", "oddsRatios", "lower95", "upper95"] as const) expectCloseToR(fit[field], f.glm[field], field);
      expectCloseToR([fit.deviance], [f.glm.deviance], "deviance");
      expect(fit.iterations).toBe(f.glm.iterations);
      expect(fit.converged).toBe(true);
      expect(fit.method).toBe("ml");
    });
  }

  it("leaves out a column that is a linear combination of earlier ones, as R does, and says so", () => {
    const fit = logisticRegression(load("collinear").X, load("collinear").y, { names: ["(Intercept)", "x1", "x2", "x3"] });
    expect(fit.aliased).toEqual([3]);
    expect(fit.warnings).toEqual(["column 4 (x3) is a linear combination of the columns before it: left out (R gives NA)"]);
  });

  it("reports quasi-complete separation (a category with no event) as not converged, naming the predictor, where R says nothing", () => {
    const f = load("quasi-separation");
    expect(f.glm.converged).toBe(true); // R's glm: converged, no warning, coefficient -16.8 with SE 926
    const fit = logisticRegression(f.X, f.y, { names: ["(Intercept)", "r1", "r2", "g"] });
    expect(fit.converged).toBe(false);
    expect(fit.separated).toEqual([2]);
    expect(fit.warnings).toEqual(["column 3 (r2) separates the outcomes (its estimate runs off to infinity): use Firth's correction"]);
    // The numbers the iterations stopped at are still R's, but flagged.
    expectCloseToR(fit.coefficients, f.glm.coefficients, "coefficients");
  });

  it("reports complete separation and non-convergence, never silent huge coefficients", () => {
    const f = load("complete-separation");
    const fit = logisticRegression(f.X, f.y, { names: ["(Intercept)", "x", "z"] });
    expect(f.glm.warnings).toContain("glm.fit: fitted probabilities numerically 0 or 1 occurred");
    expect(fit.converged).toBe(false);
    expect(fit.warnings[0]).toBe("the fit did not converge in 25 iterations");
    expect(fit.warnings.join("\n")).toContain("column 2 (x) separates the outcomes");
    expect(fit.separated).not.toContain(0);
  });
});

describe("logistic regression with Firth's correction against brglm2 (AS_mean)", () => {
  for (const name of ["balanced", "rare-events", "quasi-separation", "complete-separation", "collinear"]) {
    it(`matches brglmFit(type = "AS_mean") on the ${name} case`, () => {
      const f = load(name);
      const fit = logisticRegression(f.X, f.y, { firth: true });
      expectCloseToR(fit.coefficients, f.firth.coefficients, "coefficients");
      expectCloseToR(fit.standardErrors, f.firth.standardErrors, "standardErrors");
      expect(fit.converged).toBe(true);
      expect(fit.method).toBe("firth");
    });
  }

  it("gives finite estimates where maximum likelihood has none", () => {
    const f = load("complete-separation");
    const fit = logisticRegression(f.X, f.y, { firth: true });
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
    expect(fit.upper95.every(Number.isFinite)).toBe(true);
  });
});

describe("logistic regression's input", () => {
  it.each([
    [[], [], /must match and not be empty/],
    [[[1, 0]], [0, 1], /must match/],
    [[[1, 0], [1]], [0, 1], /row 2 of X has 1 values, not 2/],
    [[[1, Number.NaN]], [1], /not a finite number/],
    [[[1, 0]], [2], /y\[0\] is 2: the outcome must be 0 or 1/],
  ])("refuses bad input with a clear message (%#)", (X, y, message) => {
    expect(() => logisticRegression(X as number[][], y as number[])).toThrow(StatisticsInputError);
    expect(() => logisticRegression(X as number[][], y as number[])).toThrow(message);
  });
});
