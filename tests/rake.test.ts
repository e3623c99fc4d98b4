import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rake, type RakeMargin, type RakeRow, type RakeStep } from "../lib/stats/rake.ts";
import { StatisticsInputError } from "../lib/stats/statisticsInputError.ts";
import { trimWeights } from "../lib/stats/trimWeights.ts";

/** A raking case written by tests/fixtures/rake/make-fixtures.R from R's survey::rake and svymean. */
interface RakeFixture {
  name: string;
  data: Record<string, (string | number)[]>;
  margins: RakeMargin[];
  epsilon: number;
  maxIterations: number;
  baseWeights: number[] | null;
  rake: { weights: number[]; iterations: number; converged: boolean; warnings: string[]; steps: { variable: string; weights: number[] }[] };
  svymean: { mean: number; rakedSE: number; givenSE: number };
}

/** A trimming case from R's survey::trimWeights (null: no bound). */
interface TrimFixture {
  name: string;
  weights: number[];
  lower: number | null;
  upper: number | null;
  strict: boolean;
  trimmed: number[];
}

/** An input R refuses, with R's message. */
interface ErrorFixture {
  name: string;
  data?: Record<string, (string | null)[]>;
  margins?: RakeMargin[];
  weights?: number[];
  lower?: number | null;
  upper?: number | null;
  error: string;
}

const load = <T>(file: string): T => JSON.parse(readFileSync(`tests/fixtures/rake/${file}`, "utf8")) as T;
const rakeCases = load<RakeFixture[]>("rake.json");
const trimCases = load<TrimFixture[]>("trim.json");
const errorCases = load<ErrorFixture[]>("errors.json");
const byName = <T extends { name: string }>(cases: T[], name: string): T => cases.find((c) => c.name === name)!;

/** Agreement with R: 1e-6 relative, or 1e-9 absolute for values below 1e-3. */
function expectMatchesR(actual: readonly number[], expected: readonly number[], label: string): void {
  expect(actual, label).toHaveLength(expected.length);
  expected.forEach((r, i) => {
    const tolerance = Math.abs(r) < 1e-3 ? 1e-9 : 1e-6 * Math.abs(r);
    expect(Math.abs(actual[i]! - r), `${label}[${i}]: ${actual[i]} vs R ${r}`).toBeLessThanOrEqual(tolerance);
  });
}

/** The fixture's columns as rows. */
function rowsOf(data: Record<string, readonly (string | number | null)[]>): RakeRow[] {
  const columns = Object.entries(data);
  return columns[0]![1].map((_, i) => Object.fromEntries(columns.map(([name, values]) => [name, values[i]])));
}

function rakeFixture(f: RakeFixture) {
  return rake(rowsOf(f.data), f.margins, { epsilon: f.epsilon, maxIterations: f.maxIterations, ...(f.baseWeights ? { baseWeights: f.baseWeights } : {}) });
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * svymean's linearised standard error of a mean for `svydesign(ids = ~1)`: the influence
 * values (y − mean) × w / Σw, adjusted for raking as R's svyrecvar does (ten times over, for
 * each step, x − psw × the category's mean of x / psw), then n/(n − 1) × their sum of squares
 * about their mean. Written here to show that `steps` carry what the raked design's SE needs.
 */
function linearisedStandardError(y: readonly number[], weights: readonly number[], steps: readonly RakeStep[] = []): number {
  const total = sum(weights);
  const mean = sum(y.map((value, i) => value * weights[i]!)) / total;
  let x = y.map((value, i) => ((value - mean) * weights[i]!) / total);
  for (let round = 0; round < (steps.length > 0 ? 10 : 0); round++) {
    for (const step of steps) {
      const sums = new Array<number>(step.categories.length).fill(0);
      const counts = new Array<number>(step.categories.length).fill(0);
      x.forEach((value, i) => {
        sums[step.index[i]!]! += value / step.weights[i]!;
        counts[step.index[i]!]! += 1;
      });
      x = x.map((value, i) => value - (step.weights[i]! * sums[step.index[i]!]!) / counts[step.index[i]!]!);
    }
  }
  const n = x.length;
  const centre = sum(x) / n;
  return Math.sqrt((n / (n - 1)) * sum(x.map((value) => (value - centre) ** 2)));
}

describe("rake matches R's survey::rake", () => {
  it(`gives R's weights, sweeps and convergence on ${rakeCases.length} cases (2-3 margins of 2-6 categories, epsilon below and above 1, base weights)`, () => {
    for (const f of rakeCases) {
      const result = rakeFixture(f);
      expectMatchesR(result.weights, f.rake.weights, `${f.name} weights`);
      expect(result.iterations, `${f.name} sweeps`).toBe(f.rake.iterations);
      expect(result.converged, `${f.name} converged`).toBe(f.rake.converged);
      const notConverged = result.warnings.filter((warning) => warning.startsWith("raking did not converge"));
      expect(notConverged, `${f.name} warnings`).toHaveLength(f.rake.warnings.length);
    }
  });

  it("covers converging and non-converging cases, and both readings of epsilon", () => {
    expect(rakeCases.filter((f) => f.rake.converged).length).toBeGreaterThan(10);
    expect(rakeCases.filter((f) => !f.rake.converged).length).toBeGreaterThan(10);
    expect(rakeCases.filter((f) => f.epsilon < 1 && f.rake.converged).length).toBeGreaterThan(3);
    expect(rakeCases.filter((f) => f.epsilon >= 1 && f.rake.converged).length).toBeGreaterThan(3);
  });

  it("keeps the last sweep's post-stratifications as R's design$postStrata does, with each row's category and weights", () => {
    for (const f of rakeCases) {
      const { steps } = rakeFixture(f);
      expect(steps.map((step) => step.variable), f.name).toEqual(f.rake.steps.map((step) => step.variable));
      steps.forEach((step, s) => {
        expectMatchesR(step.weights, f.rake.steps[s]!.weights, `${f.name} step ${s + 1} weights`);
        expect(step.index.map((k) => step.categories[k]), `${f.name} step ${s + 1} categories`).toEqual(f.data[step.variable]!.map(String));
      });
    }
  });

  it("carries what svymean's standard error on the raked design needs (and the weights-as-given SE differs)", () => {
    for (const f of rakeCases) {
      const { weights, steps } = rakeFixture(f);
      const y = f.data.y!.map(Number);
      expectMatchesR([sum(y.map((value, i) => value * weights[i]!)) / sum(weights)], [f.svymean.mean], `${f.name} mean`);
      expectMatchesR([linearisedStandardError(y, weights, steps)], [f.svymean.rakedSE], `${f.name} raked SE`);
      expectMatchesR([linearisedStandardError(y, weights)], [f.svymean.givenSE], `${f.name} SE with weights as given`);
    }
  });

  it("warns when the margins' totals differ, and rakes anyway as R does (the weights sum to the last margin's total)", () => {
    const inconsistent = rakeCases.filter((f) => f.name.endsWith("inconsistent-totals"));
    expect(inconsistent.length).toBeGreaterThan(0);
    for (const f of inconsistent) {
      const result = rakeFixture(f);
      expect(result.warnings[0]).toMatch(/^the margins' population totals differ/);
      expectMatchesR([sum(result.weights)], [sum(Object.values(f.margins.at(-1)!.population))], `${f.name} total`);
    }
    expect(rakeFixture(byName(rakeCases, "hand-2x2")).warnings).toEqual([]);
  });
});

describe("rake on cases small enough to check by hand (values from R)", () => {
  it("independent margins: one sweep meets both, the second changes nothing", () => {
    // Region x 600, y 400 over two rows each: 300, 300, 200, 200; employer p 700 = 1.4 x 500, q 300 = 0.6 x 500.
    const f = byName(rakeCases, "hand-2x2");
    const result = rakeFixture(f);
    expect(f.rake.weights).toEqual([420, 180, 280, 120]);
    expectMatchesR(result.weights, f.rake.weights, "weights");
    expect(result).toMatchObject({ iterations: 2, converged: true });
    expect(result.steps.map((step) => step.categories)).toEqual([["x", "y"], ["p", "q"]]);
    expect(result.steps[1]!.index).toEqual([0, 1, 0, 1]);
  });

  it("correlated margins close in over the sweeps; cut off early, R warns and so does rake", () => {
    const converging = byName(rakeCases, "hand-correlated");
    expect(rakeFixture(converging)).toMatchObject({ iterations: converging.rake.iterations, converged: true, warnings: [] });
    const cut = byName(rakeCases, "hand-not-converged");
    const result = rakeFixture(cut);
    expect(cut.rake.warnings).toEqual(["Raking did not converge after 2 iterations.\n"]);
    expect(result).toMatchObject({ iterations: 2, converged: false });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^raking did not converge after 2 sweeps/);
    expectMatchesR(result.weights, cut.rake.weights, "weights");
  });

  it("matches categories as text, so numeric and boolean answers rake like their spellings", () => {
    const rows = [
      { region: 1, senior: true },
      { region: 1, senior: false },
      { region: 2, senior: true },
      { region: 2, senior: false },
    ];
    const text = rows.map((row) => ({ region: String(row.region), senior: String(row.senior) }));
    const margins: RakeMargin[] = [
      { variable: "region", population: { "1": 600, "2": 400 } },
      { variable: "senior", population: { true: 700, false: 300 } },
    ];
    expect(rake(rows, margins).weights).toEqual(rake(text, margins).weights);
  });
});

describe("rake refuses what R refuses, naming the variable and the category", () => {
  const refused = (name: string) => {
    const f = byName(errorCases, name);
    expect(f.error, "R refuses it too").not.toBe("");
    return () => rake(rowsOf(f.data!), f.margins!);
  };

  it("a margin category with no respondent (R: 'Some strata absent from sample')", () => {
    expect(refused("margin category with no respondent")).toThrow(new StatisticsInputError(`region "z" has no respondent: no weight can reach its population total`));
  });

  it("a respondent in a category the margin lacks (R: 'Strata in sample absent from population')", () => {
    expect(refused("respondent in a category the margins lack")).toThrow(new StatisticsInputError(`row 3 is in region "y", a category the margin for region lacks`));
  });

  it("a population total of zero", () => {
    expect(refused("population total of zero for a category with respondents")).toThrow(new StatisticsInputError(`population totals must be positive: region "y" has 0`));
  });

  it("a respondent with no value (R: 'missing values in object')", () => {
    expect(refused("missing value")).toThrow(new StatisticsInputError("row 3 has no region: every respondent needs a category of every margin"));
    expect(() => rake([{ region: "x" }, { region: undefined }], [{ variable: "region", population: { x: 1 } }])).toThrow(/row 2 has no region/);
  });

  it("weights and settings that are not usable", () => {
    const rows = [{ region: "x" }, { region: "y" }];
    const margins = [{ variable: "region", population: { x: 10, y: 20 } }];
    expect(() => rake(rows, margins, { baseWeights: [1, 0] })).toThrow(new StatisticsInputError("base weights must be positive and finite: row 2 has 0"));
    expect(() => rake(rows, margins, { baseWeights: [1, Number.POSITIVE_INFINITY] })).toThrow(StatisticsInputError);
    expect(() => rake(rows, margins, { baseWeights: [1] })).toThrow(/one base weight a row/);
    expect(() => rake(rows, margins, { epsilon: 0 })).toThrow(StatisticsInputError);
    expect(() => rake(rows, margins, { maxIterations: 0 })).toThrow(StatisticsInputError);
    expect(() => rake(rows, [])).toThrow(StatisticsInputError);
    expect(() => rake(rows, [{ variable: "region", population: { x: 10, y: Number.NaN } }])).toThrow(StatisticsInputError);
  });
});

describe("trimWeights matches R's survey::trimWeights", () => {
  it(`gives R's weights on ${trimCases.length} cases (${trimCases.filter((f) => f.strict).length} strict; lower, upper and both; raked weights among them)`, () => {
    for (const f of trimCases) {
      const result = trimWeights(f.weights, { ...(f.lower !== null ? { lower: f.lower } : {}), ...(f.upper !== null ? { upper: f.upper } : {}), strict: f.strict });
      expectMatchesR(result.weights, f.trimmed, f.name);
      if (f.strict) expect(result.weights.every((w) => w >= (f.lower ?? -Infinity) && w <= (f.upper ?? Infinity)), `${f.name} within bounds`).toBe(true);
    }
  });

  it("shares what is cut out additively among the weights inside the bounds (values from R)", () => {
    // 10 is cut to 5; the 5 cut out goes to the other three, 5/3 each.
    expect(trimWeights([1, 2, 3, 10], { upper: 5 }).weights.map((w) => +w.toFixed(10))).toEqual(byName(trimCases, "hand-upper").trimmed.map((w) => +w.toFixed(10)));
    // Not strict, 4 + 5/3 and 4.5 + 5/3 end above 5; strict trims until none does.
    const notStrict = trimWeights([1, 4, 4.5, 10], { upper: 5 }).weights;
    expect(notStrict.filter((w) => w > 5)).toHaveLength(2);
    expectMatchesR(notStrict, byName(trimCases, "hand-upper-again").trimmed, "not strict");
    expectMatchesR(trimWeights([1, 4, 4.5, 10], { upper: 5, strict: true }).weights, byName(trimCases, "hand-upper-again-strict").trimmed, "strict");
    // 0.2 is raised to 1: the 0.8 added is taken from the other three.
    expectMatchesR(trimWeights([0.2, 2, 3, 4], { lower: 1 }).weights, byName(trimCases, "hand-lower").trimmed, "lower");
  });

  it("refuses strict bounds no weights can meet (R runs out of stack) and unusable input", () => {
    const f = byName(errorCases, "strict bounds no weights can meet");
    expect(f.error).toMatch(/C stack/);
    expect(() => trimWeights(f.weights!, { upper: f.upper!, strict: true })).toThrow(
      new StatisticsInputError("strict trimming to [-Infinity, 2] is impossible: 4 weights summing to 10 cannot all lie within it"),
    );
    expect(() => trimWeights([1, 2], { lower: 3, upper: 2 })).toThrow(StatisticsInputError);
    expect(() => trimWeights([1, -2], { upper: 2 })).toThrow(StatisticsInputError);
    expect(() => trimWeights([], { upper: 2 })).toThrow(StatisticsInputError);
  });

  it("trims where R cannot: a bound b whose 1/(1/b) is not b", () => {
    // R keeps weights as probabilities, so a weight trimmed to 1.8 reads back below it and strict R recurses until its stack runs out.
    const f = byName(errorCases, "strict bound that does not survive 1/(1/b)");
    expect(f.error).toMatch(/C stack/);
    expect(1 / (1 / f.lower!)).toBeLessThan(f.lower!);
    const result = trimWeights(f.weights!, { lower: f.lower!, strict: true }).weights;
    expect(Math.min(...result)).toBeGreaterThanOrEqual(f.lower!);
    expect(sum(result)).toBeCloseTo(sum(f.weights!), 10);
  });
});
