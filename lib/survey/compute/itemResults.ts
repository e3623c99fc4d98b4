import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ItemResult } from "../results/resultsSchema.ts";
import { protectsSuppressedParts } from "./complementarySuppression.ts";
import type { GroupTally } from "./groupTally.ts";
import { complementary, shareFigure } from "./shareFigure.ts";

/** Positive answers and base of one item's category counts (index 0 = blank). */
export interface ItemBase {
  n: number;
  base: number;
}

/** Computes the positive n and base of category counts under a scale's rules. */
export function itemBase(
  counts: readonly number[],
  categories: readonly string[],
  positive: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
): ItemBase {
  let n = 0;
  let base = 0;
  categories.forEach((label, k) => {
    const count = counts[k + 1] ?? 0;
    if (excluded.has(label)) return;
    base += count;
    if (positive.has(label)) n += count;
  });
  return { n, base };
}

/**
 * Per item: each asked group's positive share with its category counts, and all asked groups
 * combined. A group under the threshold is suppressed; the combined figure is suppressed too
 * when it would let a reader recover a suppressed group by subtraction.
 */
export function buildItemResults(
  config: CycleConfig,
  tallies: ReadonlyMap<string, GroupTally>,
): ItemResult[] {
  const threshold = config.suppressionThreshold;
  const scales = new Map(config.questionnaire.scales.map((scale) => [scale.id, scale]));
  return config.questionnaire.items.map((item) => {
    const scale = scales.get(item.scale)!;
    const positive = new Set(scale.positive);
    const excluded = new Set(scale.excludedFromBase);
    const asked = config.groups
      .filter((group) => item.columns[group.id] !== undefined)
      .map((group) => group.id);
    const totals = { n: 0, base: 0 };
    const groups = asked.map((group) => {
      const counts =
        tallies.get(group)?.items.get(item.id)?.counts ??
        new Array(scale.categories.length + 1).fill(0);
      const { n, base } = itemBase(counts, scale.categories, positive, excluded);
      totals.n += n;
      totals.base += base;
      const share = shareFigure(n, base, threshold);
      return {
        group,
        base,
        result: {
          group,
          share,
          categories: share.suppressed
            ? null
            : scale.categories.map((label, k) => ({
                label,
                n: counts[k + 1] ?? 0,
                inBase: !excluded.has(label),
                positive: positive.has(label),
              })),
          blank: share.suppressed ? null : (counts[0] ?? 0),
        },
      };
    });
    let allGroups: ItemResult["allGroups"] = null;
    if (asked.length > 1) {
      const protectedGroups = protectsSuppressedParts(
        groups.map((g) => ({ name: g.group, base: g.base, suppressed: g.result.share.suppressed })),
        threshold,
      );
      allGroups = {
        groups: asked,
        share: protectedGroups
          ? complementary(threshold, `the figure for ${protectedGroups.join(", ")}`)
          : shareFigure(totals.n, totals.base, threshold),
      };
    }
    return {
      id: item.id,
      text: item.text,
      scale: scale.id,
      positiveLabels: scale.positive,
      excludedFromBase: scale.excludedFromBase,
      groups: groups.map((g) => g.result),
      allGroups,
    };
  });
}
