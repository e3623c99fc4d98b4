import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ItemResult, ResultsDocument, Share, YearOnYear } from "../results/resultsSchema.ts";
import { belowThreshold } from "./shareFigure.ts";
import { adjustPValues } from "../../stats/adjustPValues.ts";
import { chooseAndRunTests } from "./comparisons/chooseAndRunTests.ts";

/**
 * Last year's % positive beside this year's for every item and group the previous cycle also
 * asked (by id, or through a year-on-year comparison's `predecessors` where the item was
 * reworded), not only the items named in comparisons: the change in points, taken from the
 * unrounded shares and rounded last, and Fisher's or the chi-square test on the 2 x 2 table,
 * adjusted (the cycle's method) within each item set: a family per item set, and one for the
 * items in none. This year's threshold applies to both years: last year's figure is not shown,
 * and nothing is tested, where either base is under it.
 */
export function yearOnYear(config: CycleConfig, items: readonly ItemResult[], previous: ResultsDocument | undefined): YearOnYear | null {
  if (!config.previousCycleId || !previous) return null;
  const predecessors: Record<string, string> = {};
  for (const comparison of config.comparisons) if (comparison.kind === "years") Object.assign(predecessors, comparison.predecessors);
  const rows: YearOnYear["rows"] = [];
  for (const item of items) {
    const before = previous.items.find((candidate) => candidate.id === (predecessors[item.id] ?? item.id));
    if (!before) continue;
    for (const now of item.groups) {
      const then = before.groups.find((g) => g.group === now.group);
      if (then) rows.push(yearOnYearRow(config, { item: item.id, previousItem: before.id, group: now.group }, now.share, then.share));
    }
  }
  adjustWithinItemSets(config, rows);
  return { previousCycleId: previous.cycle.id, previousTitle: previous.cycle.title, adjustment: config.adjustment, families: "item set", rows };
}

/** One item and group, last year beside this year: tested when both are shown under this year's threshold. */
function yearOnYearRow(config: CycleConfig, at: { item: string; previousItem: string; group: string }, current: Share, published: Share): YearOnYear["rows"][number] {
  const threshold = config.suppressionThreshold;
  // Last year's figure under this year's threshold (a lower threshold then must not show it now).
  const previous = !published.suppressed && published.base < threshold ? belowThreshold(threshold) : published;
  const row: YearOnYear["rows"][number] = { ...at, family: familyOf(config, at.item), previous, current, changePoints: null, test: null, p: null, adjustedP: null, significant: false };
  if (previous.suppressed || current.suppressed) return row;
  row.changePoints = changeInPoints(current.n, current.base, previous.n, previous.base);
  const { pairs } = chooseAndRunTests(
    [
      { id: "previous", measured: { successes: previous.n, base: previous.base, distribution: [] } },
      { id: "current", measured: { successes: current.n, base: current.base, distribution: [] } },
    ],
    "positive",
  );
  row.test = pairs[0]!.test as "fisher-exact" | "chi-square";
  row.p = pairs[0]!.p;
  return row;
}

/**
 * This year's share minus last year's in whole percentage points, from the counts (exact
 * rational arithmetic, no floating error at the half), rounded half away from zero: a change
 * of 2.5 points is 3, of −2.5 is −3.
 *
 * @example changeInPoints(51, 100, 49, 100) // 2 (the rounded 51% and 49% would agree)
 */
export function changeInPoints(n1: number, base1: number, n0: number, base0: number): number {
  const numerator = 100 * (n1 * base0 - n0 * base1);
  const denominator = base1 * base0;
  const magnitude = Math.floor((2 * Math.abs(numerator) + denominator) / (2 * denominator));
  return numerator < 0 ? -magnitude : magnitude;
}

/** The family an item's year-on-year test is adjusted in: its (first) item set, or the items in none. */
function familyOf(config: CycleConfig, item: string): string {
  return config.questionnaire.itemSets.find((set) => set.items.includes(item))?.id ?? NO_ITEM_SET;
}

/** The family of items in no item set. */
const NO_ITEM_SET = "items in no item set";

/** Adjusts the tested rows' p-values within each family and judges them at the cycle's level. */
function adjustWithinItemSets(config: CycleConfig, rows: YearOnYear["rows"]): void {
  const families = new Map<string, YearOnYear["rows"]>();
  for (const row of rows) if (row.p !== null) families.set(row.family, [...(families.get(row.family) ?? []), row]);
  for (const tested of families.values()) {
    const adjusted = adjustPValues(tested.map((row) => row.p!), config.adjustment);
    tested.forEach((row, i) => {
      row.adjustedP = adjusted[i]!;
      row.significant = row.adjustedP < config.significanceLevel;
    });
  }
}
