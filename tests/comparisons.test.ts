import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildComparisons } from "../lib/survey/compute/comparisons/buildComparisons.ts";
import { chooseAndRunTests } from "../lib/survey/compute/comparisons/chooseAndRunTests.ts";
import type { MeasuredSample } from "../lib/survey/compute/comparisons/measureCounts.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { testCycle } from "./support/testCycle.ts";

const reference = JSON.parse(readFileSync("tests/fixtures/stats/reference.json", "utf8")) as {
  chisq: { table: number[][]; p: number }[];
  differences: { x1: number; n1: number; x2: number; n2: number; lower: number; upper: number }[];
};

const share = (successes: number, base: number): MeasuredSample => ({ successes, base, distribution: [successes, base - successes] });
const sample = (id: string, successes: number, base: number) => ({ id, measured: share(successes, base) });

describe("choosing the test", () => {
  it("uses chi-square on a 2 x 2 table whose expected counts are all at least 5, matching R", () => {
    const { pairs } = chooseAndRunTests([sample("leads", 35, 51), sample("nqsws", 40, 112)], "positive");
    const r = reference.chisq.find((c) => JSON.stringify(c.table) === "[[35,16],[40,72]]")!;
    expect(pairs[0]).toMatchObject({ test: "chi-square", df: 1 });
    expect(pairs[0]!.p).toBeCloseTo(r.p, 12);
  });

  it("uses Fisher's exact test when an expected count is under 5", () => {
    const { pairs } = chooseAndRunTests([sample("a", 43, 45), sample("b", 51, 52)], "positive");
    expect(pairs[0]!.test).toBe("fisher-exact");
    expect(pairs[0]!.why).toMatch(/expected count of \d+\.\d \(under 5\)/);
  });

  it("gives the difference in percentage points with R's 95% interval (prop.test, no correction)", () => {
    for (const d of reference.differences) {
      const { pairs } = chooseAndRunTests([sample("a", d.x1, d.n1), sample("b", d.x2, d.n2)], "positive");
      const difference = pairs[0]!.differencePoints!;
      expect(difference.lower / 100).toBeCloseTo(d.lower, 9);
      expect(difference.upper / 100).toBeCloseTo(d.upper, 9);
      expect(difference.estimate).toBeCloseTo(100 * (d.x1 / d.n1 - d.x2 / d.n2), 9);
    }
  });

  it("runs a chi-square omnibus with Cramér's V, then every pair, for more than two samples", () => {
    const { omnibus, pairs } = chooseAndRunTests([sample("a", 43, 52), sample("b", 55, 77), sample("c", 100, 115)], "positive");
    expect(omnibus).toMatchObject({ test: "chi-square", df: 2 });
    expect(omnibus!.cramersV).toBeGreaterThan(0);
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["a-b", "a-c", "b-c"]);
  });

  it("uses Mann-Whitney from category counts for the whole distribution", () => {
    const distribution = (counts: number[]): MeasuredSample => ({ successes: 0, base: counts.reduce((a, b) => a + b), distribution: counts });
    const { pairs } = chooseAndRunTests(
      [
        { id: "a", measured: distribution([30, 19, 3, 0]) },
        { id: "b", measured: distribution([50, 28, 2, 0]) },
      ],
      "distribution",
    );
    expect(pairs[0]).toMatchObject({ test: "mann-whitney", differencePoints: null });
    expect(pairs[0]!.probabilityOfSuperiority).toBeGreaterThan(0);
    expect(pairs[0]!.probabilityOfSuperiority).toBeLessThan(1);
  });
});

describe("comparisons from the cycle file", () => {
  const categories = ["Strongly agree", "Agree", "Disagree", "Don't know"];
  const config = cycleConfigSchema.parse(
    testCycle("cmp", {
      comparisons: [
        { id: "by-ethnicity", kind: "subgroups", title: "By ethnicity", variable: "ethnicity", groups: ["nqsws"], items: ["impact", "clarity"], family: "eedi" },
      ],
    }),
  );
  const tally = (white: number[], minoritised: number[]): GroupTally => ({
    group: "nqsws",
    childAndFamilyOnly: 0,
    both: 0,
    // The group's own counts: everyone in one of the two subgroups.
    items: new Map(["impact", "clarity"].map((id) => [id, { id, categories, counts: [0, ...white.map((n, k) => n + minoritised[k]!)] }])),
    multiSelect: new Map(),
    subgroups: [
      { variable: "ethnicity", subgroup: "white", respondents: 0, items: new Map(["impact", "clarity"].map((id) => [id, { id, categories, counts: [0, ...white] }])) },
      { variable: "ethnicity", subgroup: "minoritised", respondents: 0, items: new Map(["impact", "clarity"].map((id) => [id, { id, categories, counts: [0, ...minoritised] }])) },
    ],
  });

  it("does not test a base under the threshold and hides both subgroups' figures", () => {
    const [impact] = buildComparisons(config, new Map([["nqsws", tally([30, 30, 10, 2], [10, 10, 8, 1])]]), undefined);
    expect(impact!.notTested).toBe("not tested: too few responses (n<30) from Minoritised ethnic");
    expect(impact!.pairs).toEqual([]);
    expect(impact!.samples.map((s) => s.share.suppressed)).toEqual([true, true]);
    expect(JSON.stringify(impact)).not.toMatch(/"base":|"n":/);
  });

  it("adjusts p-values within a family with Holm and judges significance on the adjusted p", () => {
    const results = buildComparisons(config, new Map([["nqsws", tally([40, 40, 10, 2], [10, 15, 20, 1])]]), undefined);
    expect(results).toHaveLength(2);
    const [first, second] = results.map((r) => r.pairs[0]!);
    expect(first!.p).toBe(second!.p);
    expect(first!.adjustedP).toBeCloseTo(Math.min(1, 2 * first!.p), 12);
    expect(first!.significant).toBe(first!.adjustedP < 0.05);
  });
});
