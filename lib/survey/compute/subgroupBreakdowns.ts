import type { CycleConfig } from "../config/cycleConfig.ts";
import type { SubgroupBreakdown } from "../results/resultsSchema.ts";
import { protectsSuppressedParts } from "./complementarySuppression.ts";
import type { GroupTally } from "./groupTally.ts";
import { itemBase } from "./itemResults.ts";
import { complementary, shareFigure } from "./shareFigure.ts";

/**
 * Each item's % positive within each subgroup, for every subgroup variable and group asked
 * it. A subgroup under the threshold is suppressed; when any is, the other subgroups of that
 * item are hidden too unless the suppressed ones together reach the threshold, because the
 * group's published figure minus the shown subgroups would give them away (the same rule as
 * subgroup comparisons).
 */
export function buildSubgroupBreakdowns(config: CycleConfig, tallies: ReadonlyMap<string, GroupTally>): SubgroupBreakdown[] {
  const threshold = config.suppressionThreshold;
  const scales = new Map(config.questionnaire.scales.map((scale) => [scale.id, scale]));
  const breakdowns: SubgroupBreakdown[] = [];
  for (const variable of config.questionnaire.subgroupVariables) {
    for (const group of config.groups) {
      const tally = tallies.get(group.id);
      const subgroups = tally?.subgroups.filter((s) => s.variable === variable.id) ?? [];
      if (variable.columns[group.id] === undefined || subgroups.length === 0) continue;
      const items = config.questionnaire.items
        .filter((item) => item.columns[group.id] !== undefined)
        .map((item) => {
          const scale = scales.get(item.scale)!;
          const positive = new Set(scale.positive);
          const excluded = new Set(scale.excludedFromBase);
          const bases = subgroups.map((s) => {
            const counts = s.items.get(item.id)?.counts ?? [];
            return { subgroup: s.subgroup, ...itemBase(counts, scale.categories, positive, excluded) };
          });
          const shares = bases.map((b) => ({ subgroup: b.subgroup, share: shareFigure(b.n, b.base, threshold) }));
          const protectedNames = protectsSuppressedParts(
            bases.map((b, i) => ({ name: b.subgroup, base: b.base, suppressed: shares[i]!.share.suppressed })),
            threshold,
          );
          if (protectedNames) {
            const labels = protectedNames.map((id) => variable.subgroups.find((s) => s.id === id)?.label ?? id).join(", ");
            for (const entry of shares) if (!entry.share.suppressed) entry.share = complementary(threshold, labels);
          }
          return { item: item.id, subgroups: shares };
        });
      breakdowns.push({
        variable: variable.id,
        label: variable.label,
        group: group.id,
        subgroups: variable.subgroups.map((s) => ({ id: s.id, label: s.label })),
        items,
      });
    }
  }
  return breakdowns;
}
