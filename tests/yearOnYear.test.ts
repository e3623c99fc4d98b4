import { describe, expect, it } from "vitest";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { shareFigure } from "../lib/survey/compute/shareFigure.ts";
import { changeInPoints, yearOnYear } from "../lib/survey/compute/yearOnYear.ts";
import type { ItemResult, ResultsDocument } from "../lib/survey/results/resultsSchema.ts";
import { testCycle } from "./support/testCycle.ts";

// Last year beside this year for every item asked in both cycles, not only those in comparisons.
const config = cycleConfigSchema.parse(testCycle("now", { previousCycleId: "before" }));

function item(id: string, groups: Record<string, [number, number]>): ItemResult {
  return {
    id,
    text: id,
    scale: "agree",
    positiveLabels: ["Strongly agree", "Agree"],
    excludedFromBase: [],
    groups: Object.entries(groups).map(([group, [n, base]]) => ({ group, share: shareFigure(n, base, 30), categories: null, blank: 0, weighted: null })),
    allGroups: null,
  };
}

describe("year on year", () => {
  const previous = { cycle: { id: "before", title: "2023-24" }, items: [item("impact", { leads: [60, 100], nqsws: [10, 20] }), item("clarity", { leads: [50, 100] })] } as unknown as ResultsDocument;

  it("sets last year's share beside this year's for every item and group asked in both, tested and adjusted together", () => {
    const result = yearOnYear(config, [item("impact", { leads: [80, 100], nqsws: [150, 200] }), item("clarity", { leads: [52, 100] })], previous)!;
    expect(result.previousTitle).toBe("2023-24");
    expect(result.rows.map((r) => [r.item, r.group, r.changePoints, r.test])).toEqual([
      ["impact", "leads", 20, "chi-square"],
      ["impact", "nqsws", null, null],
      ["clarity", "leads", 2, "chi-square"],
    ]);
    // Pearson's chi-square on [[60, 40], [80, 20]]: expected 70/30 per row, X² = 2 (100/70 + 100/30)
    // = 9.5238, p = P(χ²₁ > 9.5238) = 0.0020282 (R: chisq.test(m, correct = FALSE)); Holm over two.
    const [impact, , clarity] = result.rows;
    expect(impact!.p).toBeCloseTo(0.0020282, 6);
    expect(impact!.adjustedP).toBeCloseTo(Math.min(1, 2 * impact!.p!), 10);
    expect(impact!.significant).toBe(true);
    expect(clarity!.significant).toBe(false);
    // Last year's NQSW base was under 30: shown as withheld, and not tested.
    expect(result.rows[1]!.previous).toMatchObject({ suppressed: true });
  });

  it("takes the change from the unrounded shares, then rounds half away from zero", () => {
    // 50.4% (rounded 50) against 49.6% (rounded 50): the change is 0.8 points, 1 rounded.
    expect(changeInPoints(504, 1000, 496, 1000)).toBe(1);
    expect(changeInPoints(496, 1000, 504, 1000)).toBe(-1);
    // Exactly half a point either way.
    expect(changeInPoints(51, 200, 50, 200)).toBe(1);
    expect(changeInPoints(50, 200, 51, 200)).toBe(-1);
    expect(changeInPoints(1, 3, 1, 3)).toBe(0);
  });

  it("holds last year's figures to this year's threshold", () => {
    // Last year published 25 answers (its threshold was 20): under this year's 30, so not shown now.
    const before = { cycle: { id: "before", title: "2023-24" }, items: [{ ...item("impact", { leads: [20, 25] }), groups: [{ group: "leads", share: shareFigure(20, 25, 20), categories: null, blank: 0 }] }] } as unknown as ResultsDocument;
    const [row] = yearOnYear(config, [item("impact", { leads: [80, 100] })], before)!.rows;
    expect(row!.previous).toMatchObject({ suppressed: true, reason: "base-below-threshold" });
    expect([row!.changePoints, row!.p]).toEqual([null, null]);
  });

  it("adjusts within each item set, and says which", () => {
    const withSets = cycleConfigSchema.parse(testCycle("now", { previousCycleId: "before", questionnaire: { ...testCycle().questionnaire, itemSets: [{ id: "impact-set", title: "Impact", items: ["impact"] }] } }));
    const result = yearOnYear(withSets, [item("impact", { leads: [80, 100] }), item("clarity", { leads: [70, 100] })], previous)!;
    expect(result.families).toBe("item set");
    expect(result.rows.map((r) => r.family)).toEqual(["impact-set", "items in no item set"]);
    // One test per family: nothing to adjust for.
    for (const row of result.rows) expect(row.adjustedP).toBe(row.p);
  });

  it("is null without a previous cycle's results", () => {
    expect(yearOnYear(config, [item("impact", { leads: [80, 100] })], undefined)).toBeNull();
  });
});
