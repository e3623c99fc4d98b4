import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildComparisons } from "../lib/survey/compute/comparisons/buildComparisons.ts";
import { chooseAndRunTests } from "../lib/survey/compute/comparisons/chooseAndRunTests.ts";
import { type MeasuredSample, positiveFirst } from "../lib/survey/compute/comparisons/measureCounts.ts";
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

  it("gives the difference in percentage points with Newcombe's hybrid score interval (his 1998 paper's worked examples, method 10)", () => {
    // Newcombe (1998), Statistics in Medicine 17:873-890, Table II: a/m - b/n, method 10's limits to 4 places.
    const examples: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [0, 10, 0, 10, -0.2775, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
      [10, 10, 0, 10, 0.6075, 1],
    ];
    for (const [a, m, b, n, lower, upper] of examples) {
      const { pairs } = chooseAndRunTests([sample("a", a, m), sample("b", b, n)], "positive");
      const difference = pairs[0]!.differencePoints!;
      expect(difference.estimate).toBeCloseTo(100 * (a / m - b / n), 9);
      expect(difference.lower / 100, `${a}/${m} - ${b}/${n}`).toBeCloseTo(lower, 4);
      expect(difference.upper / 100, `${a}/${m} - ${b}/${n}`).toBeCloseTo(upper, 4);
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

  it("gives the probability that the first sample's answer is more positive, whichever order the scale is listed in", () => {
    const distribution = (counts: number[]): MeasuredSample => ({ successes: 0, base: counts.reduce((x, y) => x + y), distribution: counts });
    // a: everyone at the positive end; b: everyone at the negative end.
    const positiveFirst = chooseAndRunTests([{ id: "a", measured: distribution([10, 0, 0]) }, { id: "b", measured: distribution([0, 0, 10]) }], "distribution", true);
    const positiveLast = chooseAndRunTests([{ id: "a", measured: distribution([0, 0, 10]) }, { id: "b", measured: distribution([10, 0, 0]) }], "distribution", false);
    expect(positiveFirst.pairs[0]!.probabilityOfSuperiority).toBe(1);
    expect(positiveLast.pairs[0]!.probabilityOfSuperiority).toBe(1);
    // Ties count half.
    expect(chooseAndRunTests([{ id: "a", measured: distribution([5, 5]) }, { id: "b", measured: distribution([5, 5]) }], "distribution").pairs[0]!.probabilityOfSuperiority).toBe(0.5);
  });

  it("tells where a scale's positive answers are from its positive list, not its order", () => {
    const scale = { id: "s", categories: ["Strongly agree", "Agree", "Disagree", "Strongly disagree", "Don't know"], positive: ["Strongly agree", "Agree"], excludedFromBase: ["Don't know"], codes: {}, missing: [] };
    expect(positiveFirst(scale)).toBe(true);
    expect(positiveFirst({ ...scale, categories: ["Don't know", "Strongly disagree", "Disagree", "Agree", "Strongly agree"] })).toBe(false);
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

  it("adjusts an omnibus test with the pairwise tests of its family, and judges it on its adjusted p", () => {
    const base = testCycle("omni");
    const three = cycleConfigSchema.parse({
      ...base,
      groups: [...base.groups, { id: "assessors", label: "Assessors", delivered: 100 }],
      questionnaire: { ...base.questionnaire, items: base.questionnaire.items.map((item) => ({ ...item, columns: { ...item.columns, assessors: item.text } })) },
      comparisons: [{ id: "groups", kind: "groups", title: "Between groups", groups: ["leads", "nqsws", "assessors"], item: "impact" }],
    });
    const group = (id: string, counts: number[]): GroupTally => ({ group: id, childAndFamilyOnly: 0, both: 0, items: new Map([["impact", { id: "impact", categories, counts: [0, ...counts] }]]), multiSelect: new Map(), subgroups: [] });
    const [result] = buildComparisons(three, new Map([["leads", group("leads", [20, 20, 10, 0])], ["nqsws", group("nqsws", [15, 15, 20, 0])], ["assessors", group("assessors", [25, 20, 5, 0])]]), undefined);
    const ps = [result!.omnibus!.p, ...result!.pairs.map((p) => p.p)];
    // Holm over the four hypotheses: the omnibus's adjusted p is its rank's multiple, at least.
    expect(result!.omnibus!.adjustedP).toBeGreaterThanOrEqual(Math.min(1, result!.omnibus!.p * (ps.length - ps.filter((p) => p < result!.omnibus!.p).length)) - 1e-12);
    expect(result!.omnibus!.adjustedP).toBeGreaterThan(result!.omnibus!.p);
    expect(result!.omnibus!.significant).toBe(result!.omnibus!.adjustedP! < 0.05);
  });
});
