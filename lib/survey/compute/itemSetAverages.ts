import { mean } from "simple-statistics";
import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ItemResult, ItemSetResult } from "../results/resultsSchema.ts";
import { percentageOfProportion } from "./percentage.ts";

/**
 * For each item set and group asked any of its items: the mean of the unrounded proportions of
 * the items shown for that group, listing the items left out (suppressed) and why.
 *
 * @example "The average score across the six types of support was 90%" (four shown, two n<30)
 */
export function buildItemSetAverages(
  config: CycleConfig,
  items: readonly ItemResult[],
): ItemSetResult[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return config.questionnaire.itemSets.map((set) => {
    const members = set.items.map((id) => byId.get(id)!);
    const groups = config.groups
      .map((group) => group.id)
      .filter((group) => set.groups === undefined || set.groups.includes(group))
      .filter((group) => members.some((item) => item.groups.some((g) => g.group === group)));
    return {
      id: set.id,
      title: set.title,
      items: set.items,
      groups: groups.map((group) => {
        const averaged: { item: string; proportion: number }[] = [];
        const itemsLeftOut: { item: string; reason: string }[] = [];
        for (const item of members) {
          const result = item.groups.find((g) => g.group === group);
          if (!result) continue;
          if (result.share.suppressed)
            itemsLeftOut.push({ item: item.id, reason: result.share.note });
          else averaged.push({ item: item.id, proportion: result.share.proportion });
        }
        if (averaged.length === 0) {
          return {
            group,
            average: {
              suppressed: true as const,
              reason: "nothing-to-average" as const,
              note: "every item is suppressed",
            },
            itemsLeftOut,
          };
        }
        const proportion = mean(averaged.map((entry) => entry.proportion));
        return {
          group,
          average: {
            suppressed: false as const,
            proportion,
            percentage: percentageOfProportion(proportion),
            itemsAveraged: averaged.map((entry) => entry.item),
          },
          itemsLeftOut,
        };
      }),
    };
  });
}
