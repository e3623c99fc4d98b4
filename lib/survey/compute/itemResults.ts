import type { CycleConfig, Item, Scale } from "../config/cycleConfig.ts";
import type { ItemResult } from "../results/resultsSchema.ts";
import { decideAdditiveTable } from "../../privacy/additiveTable.ts";
import type { GroupTally } from "./groupTally.ts";
import { complementary, shareFigure } from "./shareFigure.ts";
import { displayPercentage } from "./percentage.ts";

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
  const scales = new Map(config.questionnaire.scales.map((scale) => [scale.id, scale]));
  return config.questionnaire.items.map((item) => itemResult(config, item, scales.get(item.scale)!, tallies));
}

/** One group's result on an item, with the positive n and base the combined figure adds up. */
interface GroupFigure {
  group: string;
  n: number;
  base: number;
  result: ItemResult["groups"][number];
}

/** One item's results: the groups asked it (those with a column for it), then all of them combined. */
function itemResult(
  config: CycleConfig,
  item: Item,
  scale: Scale,
  tallies: ReadonlyMap<string, GroupTally>,
): ItemResult {
  const asked = config.groups
    .filter((group) => item.columns[group.id] !== undefined)
    .map((group) => group.id);
  const groups = asked.map((group) => groupFigure(item.id, group, scale, tallies, config.suppressionThreshold));
  return {
    id: item.id,
    text: item.text,
    scale: scale.id,
    positiveLabels: scale.positive,
    excludedFromBase: scale.excludedFromBase,
    groups: groups.map((g) => g.result),
    allGroups: allGroupsFigure(asked, groups, config.suppressionThreshold),
  };
}

/**
 * One group's positive share on an item, with its category counts and blanks unless the share
 * is suppressed. A group without counts for the item (no upload yet) counts as no answers.
 */
function groupFigure(
  item: string,
  group: string,
  scale: Scale,
  tallies: ReadonlyMap<string, GroupTally>,
  threshold: number,
): GroupFigure {
  const positive = new Set(scale.positive);
  const excluded = new Set(scale.excludedFromBase);
  const counts =
    tallies.get(group)?.items.get(item)?.counts ??
    new Array(scale.categories.length + 1).fill(0);
  const { n, base } = itemBase(counts, scale.categories, positive, excluded);
  const share = shareFigure(n, base, threshold);
  return {
    group,
    n,
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
            percentage: excluded.has(label) || base === 0 ? null : displayPercentage(counts[k + 1] ?? 0, base),
          })),
      blank: share.suppressed ? null : (counts[0] ?? 0),
      weighted: null,
    },
  };
}

/**
 * All asked groups combined, where more than one group is asked: hidden (complementary) when,
 * with the shown groups, it would give a hidden group away: one hidden group, hidden groups
 * together under the threshold, or hidden groups all (or none) positive.
 */
function allGroupsFigure(asked: string[], groups: readonly GroupFigure[], threshold: number): ItemResult["allGroups"] {
  if (asked.length <= 1) return null;
  const decision = decideAdditiveTable(groups.map((g) => ({ name: g.group, base: g.base, counts: [g.n] })), [], threshold, "hide-total");
  const protectedGroups = decision.totalHidden ? decision.small : undefined;
  const totals = { n: 0, base: 0 };
  for (const g of groups) {
    totals.n += g.n;
    totals.base += g.base;
  }
  return {
    groups: asked,
    share: protectedGroups
      ? complementary(threshold, `the figure for ${protectedGroups.join(", ")}`)
      : shareFigure(totals.n, totals.base, threshold),
  };
}
