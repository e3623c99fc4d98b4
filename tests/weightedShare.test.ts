import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StatisticsInputError } from "../lib/stats/statisticsInputError.ts";
import { rake, type RakeMargin, type RakeStep } from "../lib/stats/rake.ts";
import { trimWeights } from "../lib/stats/trimWeights.ts";
import { weightedShare, type WeightedShare } from "../lib/stats/weightedShare.ts";

/** R's figures for one design (null: R's NA or NaN), as tests/fixtures/weighting/make-fixtures.R writes them. */
type Expected = { [K in keyof WeightedShare]: number | null } & {
  /** R's `deff(svymean(~y, design, deff = "replace"))`: the variable's design effect, for comparison with Kish's. */
  svymeanDeffReplace: number | null;
  warnings: string[];
  /** Where df is 1: the t limits of svyciprop's logit interval, which R itself rounds to [0, NaN]. */
  tLogit?: [number, number];
  /** Where every answer in base is the same: svyciprop's beta formula run on Kish's effective n. */
  kishBeta?: [number | null, number | null];
};

/** A case: R's svymean and svyciprop on svydesign(ids = ~1, weights = ~w), with the raked design's too when calibrated. */
interface Fixture {
  name: string;
  positive: (boolean | null)[];
  weights: number[];
  expected: Expected;
  /** R's design$postStrata, index 0-based (see make-fixtures.R's raking_steps). */
  calibration?: { steps: RakeStep[] };
  expectedAsGiven?: Expected;
  /** What R's rake() and trimWeights() were given. */
  rake?: { margins: RakeMargin[]; baseWeights: number[]; epsilon: number; maxIterations: number; trimUpper?: number };
}

const fixtures = JSON.parse(readFileSync("tests/fixtures/weighting/shares.json", "utf8")) as Fixture[];
const FIELDS = ["estimate", "standardError", "lower95", "upper95", "betaLower95", "betaUpper95", "designEffect", "effectiveN", "base", "df"] as const;

/** 1e-6 relative to R (exact where R has 0); R's NA is our NaN. */
function expectMatchesR(actual: number, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual, `${label}: R gives NaN`).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(1e-6 * Math.abs(expected));
}

/** Every field against R, except where R's own arithmetic breaks down (each such rule is tested on its own below). */
function expectShareMatchesR(result: WeightedShare, expected: Expected, label: string): void {
  const allSame = expected.kishBeta !== undefined;
  for (const field of FIELDS) {
    if (allSame && ["standardError", "lower95", "upper95", "betaLower95", "betaUpper95"].includes(field)) continue;
    if (expected.tLogit && (field === "lower95" || field === "upper95")) continue;
    expectMatchesR(result[field], expected[field], `${label} ${field}`);
  }
  if (expected.tLogit) {
    expectMatchesR(result.lower95, expected.tLogit[0], `${label} lower95 (t on 1 df)`);
    expectMatchesR(result.upper95, expected.tLogit[1], `${label} upper95 (t on 1 df)`);
  }
  if (allSame) {
    expect(result.standardError).toBe(0);
    expect(expected.standardError!, `${label}: R's standard error is rounding`).toBeLessThan(1e-15);
    expect([result.lower95, result.upper95]).toEqual(result.df >= 1 ? [result.estimate, result.estimate] : [Number.NaN, Number.NaN]);
    expectMatchesR(result.betaLower95, expected.kishBeta![0], `${label} betaLower95 (Kish)`);
    expectMatchesR(result.betaUpper95, expected.kishBeta![1], `${label} betaUpper95 (Kish)`);
  }
}

const plain = fixtures.filter((f) => !f.calibration);
const calibrated = fixtures.filter((f) => f.calibration);

describe("weightedShare matches R's survey package", () => {
  it(`svymean and svyciprop on subset(design, inBase), weights as given (${plain.length} cases)`, () => {
    for (const f of plain) expectShareMatchesR(weightedShare(f.positive, f.weights), f.expected, f.name);
  });

  it(`the raked design, as svymean after rake() (${calibrated.length} cases, 2 margins, some trimmed after)`, () => {
    for (const f of calibrated) {
      expectShareMatchesR(weightedShare(f.positive, f.weights, { calibration: f.calibration! }), f.expected, f.name);
    }
  });

  it(`the same raked weights taken as given (${calibrated.length} cases)`, () => {
    for (const f of calibrated) expectShareMatchesR(weightedShare(f.positive, f.weights), f.expectedAsGiven!, `${f.name} (as given)`);
  });

  it(`takes rake()'s result as it is: raked (and trimmed) here from R's inputs, the same figures (${calibrated.length} cases)`, () => {
    for (const f of calibrated) {
      const { margins, baseWeights, epsilon, maxIterations, trimUpper } = f.rake!;
      // Each respondent's region and employer type, as R had them.
      const rows = f.positive.map((_, i) => Object.fromEntries(f.calibration!.steps.map((step) => [step.variable, step.categories[step.index[i]!]!])));
      const raked = rake(rows, margins, { epsilon, maxIterations, baseWeights });
      const weights = trimUpper === undefined ? raked.weights : trimWeights(raked.weights, { upper: trimUpper, strict: true }).weights;
      expectShareMatchesR(weightedShare(f.positive, weights, { calibration: raked }), f.expected, `${f.name} (lib/stats/rake.ts)`);
    }
  });

  it("raking changes the standard error, not the estimate", () => {
    const f = calibrated.find((c) => c.name.startsWith("calibration 7:"))!;
    const raked = weightedShare(f.positive, f.weights, { calibration: f.calibration! });
    const asGiven = weightedShare(f.positive, f.weights);
    expect(raked.estimate).toBe(asGiven.estimate);
    expect(raked.standardError).not.toBe(asGiven.standardError);
    expectMatchesR(raked.standardError, f.expected.standardError, "raked");
    expectMatchesR(asGiven.standardError, f.expectedAsGiven!.standardError, "as given");
  });
});

describe("cases worked by hand (each also R's, from the fixtures)", () => {
  const hand = (prefix: string) => fixtures.find((f) => f.name.startsWith(prefix))!;

  it("3 of 10 positive, equal weights: the SE is √(p(1 − p)/(n − 1)), Kish's design effect 1", () => {
    const f = hand("hand: 3 of 10");
    const result = weightedShare(f.positive, f.weights);
    expect(result.estimate).toBe(0.3);
    // svyrecvar: n/(n − 1) Σ (w(y − p)/Σw)² = 10/9 · (3 · 0.7² + 7 · 0.3²)/100 = 0.21/9.
    expect(result.standardError).toBeCloseTo(Math.sqrt(0.21 / 9), 15);
    expect(result).toMatchObject({ designEffect: 1, effectiveN: 10, base: 10, df: 9 });
    expectShareMatchesR(result, f.expected, f.name);
  });

  it("weights 1, 1, 2, 4 with only the last positive: p = 4/8, Kish's n = 8²/22", () => {
    const f = hand("hand: weights 1, 1, 2, 4");
    const result = weightedShare(f.positive, f.weights);
    expect(result.estimate).toBe(0.5);
    // Influence w(y − p)/Σw = (−1, −1, −2, 4)/16; variance 4/3 · 22/256.
    expect(result.standardError).toBeCloseTo(Math.sqrt((4 / 3) * (22 / 256)), 15);
    expect(result.effectiveN).toBeCloseTo(64 / 22, 14);
    expect(result.designEffect).toBeCloseTo(4 / (64 / 22), 14);
    expectShareMatchesR(result, f.expected, f.name);
  });

  it("respondents out of base stay in the design's n (R's domain variance), not in the base or df", () => {
    const f = hand("hand: 2 of 4 positive in base");
    const result = weightedShare(f.positive, f.weights);
    // 6/5 · 4 · (1/8)², not 4/3 · 4 · (1/8)² as a design of the 4 in base alone would give.
    expect(result.standardError).toBeCloseTo(Math.sqrt((6 / 5) * (4 / 64)), 15);
    expect(result).toMatchObject({ estimate: 0.5, base: 4, df: 3, effectiveN: 4 });
    expectShareMatchesR(result, f.expected, f.name);
  });
});

describe("Kish's design effect", () => {
  it("is svymean's deff = \"replace\" only where every squared residual is the same (p = ½), not in general", () => {
    // svymean's is n Σw²(y − p)² / (Σw Σw(y − p)²): Kish's n Σw² / (Σw)² weighted by the squared
    // residuals (and, with respondents out of base, scaled by the domain's (N/(N − 1)) / (n/(n − 1))).
    const regular = plain.filter((f) => f.expected.kishBeta === undefined && f.expected.svymeanDeffReplace !== null);
    for (const f of regular.filter((c) => c.expected.estimate === 0.5 && !c.positive.includes(null))) {
      expectMatchesR(weightedShare(f.positive, f.weights).designEffect, f.expected.svymeanDeffReplace, f.name);
    }
    const differing = regular.filter((f) => Math.abs(f.expected.designEffect! / f.expected.svymeanDeffReplace! - 1) > 0.01);
    expect(differing.length).toBeGreaterThan(regular.length / 2);
  });
});

describe("where R's own arithmetic breaks down", () => {
  const allSame = plain.filter((f) => f.expected.kishBeta !== undefined && f.expected.df! >= 1);
  const oneDf = fixtures.filter((f) => f.expected.tLogit !== undefined);

  it(`0% or 100%: logit limits at the estimate, beta limits on Kish's effective n (${allSame.length} cases)`, () => {
    for (const f of allSame) {
      const result = weightedShare(f.positive, f.weights);
      // R's logit limits are wherever glm stopped (within 1e-9 of the estimate), or NaN.
      for (const limit of [f.expected.lower95, f.expected.upper95]) {
        if (limit !== null && f.expected.df! > 1) expect(Math.abs(limit - result.estimate), f.name).toBeLessThan(1e-8);
      }
      expect(result.estimate === 0 ? result.betaLower95 : result.betaUpper95).toBe(result.estimate);
      expectShareMatchesR(result, f.expected, f.name);
    }
  });

  it(`df = 1: R rounds its logit interval to [0, NaN]; ours is the t interval (${oneDf.length} cases)`, () => {
    for (const f of oneDf) {
      expect([f.expected.lower95, f.expected.upper95]).toEqual([0, null]);
      const result = weightedShare(f.positive, f.weights);
      expect(result.lower95).toBeGreaterThan(0);
      expectShareMatchesR(result, f.expected, f.name);
    }
  });

  it("df = 0 (one respondent in base with a weight): every limit is NaN, as in R", () => {
    const result = weightedShare([true, null, null], [2, 1, 1]);
    expect(result).toMatchObject({ estimate: 1, standardError: 0, base: 1, df: 0 });
    for (const limit of [result.lower95, result.upper95, result.betaLower95, result.betaUpper95]) expect(limit).toBeNaN();
  });
});

describe("invalid input throws StatisticsInputError", () => {
  const steps = (index: number[], weights: number[]) => ({ steps: [{ variable: "region", categories: ["a", "b"], index, weights }] });
  it.each([
    ["fewer weights than answers", () => weightedShare([true, false], [1])],
    ["a negative weight", () => weightedShare([true, false], [1, -1])],
    ["a weight that is not finite", () => weightedShare([true, false], [1, Number.NaN])],
    ["an infinite weight", () => weightedShare([true, false], [1, Number.POSITIVE_INFINITY])],
    ["no respondent", () => weightedShare([], [])],
    ["nobody in base", () => weightedShare([null, null], [1, 1])],
    ["everyone in base weighing 0", () => weightedShare([true, false, null], [0, 0, 1])],
    ["a calibration step for other respondents", () => weightedShare([true, false], [1, 1], { calibration: steps([0], [1]) })],
    ["a calibration step with a negative weight", () => weightedShare([true, false], [1, 1], { calibration: steps([0, 1], [1, -1]) })],
  ])("%s", (_name, call) => {
    expect(call).toThrow(StatisticsInputError);
  });

  it("says what is wrong", () => {
    expect(() => weightedShare([true, false], [1, -2])).toThrow("respondent 2 has weight -2");
    expect(() => weightedShare([null], [1])).toThrow("at least one respondent in base");
  });
});
