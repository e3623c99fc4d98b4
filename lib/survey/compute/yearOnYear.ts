import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ItemResult, ResultsDocument, YearOnYear } from "../results/resultsSchema.ts";
import { adjustPValues } from "../../stats/adjustPValues.ts";
import { chooseAndRunTests } from "./comparisons/chooseAndRunTests.ts";

/**
 * Last year's % positive beside this year's for every item and group the previous cycle also
 * asked (by id, or through a year-on-year comparison's `predecessors` where the item was
 * reworded), not only the items named in comparisons: the change in points, and Fisher's or the
 * chi-square test on the 2 x 2 table, adjusted across all of them together (the cycle's method).
 * Nothing is tested, and last year's figure is not shown, where either base is under the threshold.
 */
export function yearOnYear(config: CycleConfig, items: readonly ItemResult[], previous: ResultsDocument | undefined): YearOnYear | null {
  if (!config.previousCycleId || !previous) return null;
  const predecessors: Record<string, string> = {};
  for (const comparison of config.comparisons) if (comparison.kind === "years") Object.assign(predecessors, comparison.predecessors);
  const rows: YearOnYear["rows"] = [];
  const tested: { row: number; p: number }[] = [];
  for (const item of items) {
    const before = previous.items.find((candidate) => candidate.id === (predecessors[item.id] ?? item.id));
    if (!before) continue;
    for (const now of item.groups) {
      const then = before.groups.find((g) => g.group === now.group);
      if (!then) continue;
      const row: YearOnYear["rows"][number] = {
        item: item.id,
        previousItem: before.id,
        group: now.group,
        previous: then.share,
        current: now.share,
        changePoints: null,
        test: null,
        p: null,
        adjustedP: null,
        significant: false,
      };
      if (!then.share.suppressed && !now.share.suppressed) {
        row.changePoints = now.share.percentage - then.share.percentage;
        const { pairs } = chooseAndRunTests(
          [
            { id: "previous", measured: { successes: then.share.n, base: then.share.base, distribution: [] } },
            { id: "current", measured: { successes: now.share.n, base: now.share.base, distribution: [] } },
          ],
          "positive",
        );
        row.test = pairs[0]!.test as "fisher-exact" | "chi-square";
        row.p = pairs[0]!.p;
        tested.push({ row: rows.length, p: row.p });
      }
      rows.push(row);
    }
  }
  const adjusted = tested.length > 0 ? adjustPValues(tested.map((t) => t.p), config.adjustment) : [];
  tested.forEach((t, i) => {
    rows[t.row]!.adjustedP = adjusted[i]!;
    rows[t.row]!.significant = adjusted[i]! < config.significanceLevel;
  });
  return { previousCycleId: previous.cycle.id, previousTitle: previous.cycle.title, adjustment: config.adjustment, rows };
}
