import type { CycleConfig, Item, SubgroupVariable } from "../config/cycleConfig.ts";
import type { SubgroupBreakdown } from "../results/resultsSchema.ts";
import { decideAdditiveTable, type TableCell, type TableDecision } from "../../privacy/additiveTable.ts";
import type { GroupTally } from "./groupTally.ts";
import { itemBase } from "./itemResults.ts";
import { belowThreshold, complementary, shownShare } from "./shareFigure.ts";

/**
 * Each item's % positive within each subgroup, for every subgroup variable and group asked
 * it, as {@link decideSubgroups} decides: a subgroup under the threshold is hidden, and more
 * are hidden until the group's published figure minus the shown subgroups gives none of the
 * hidden ones away. An item whose group figure gives a hidden subgroup away whatever else is
 * hidden (the group is 0% or 100% positive) has no breakdown.
 */
export function buildSubgroupBreakdowns(config: CycleConfig, tallies: ReadonlyMap<string, GroupTally>): SubgroupBreakdown[] {
  const breakdowns: SubgroupBreakdown[] = [];
  for (const variable of config.questionnaire.subgroupVariables.filter((v) => v.breakdown)) {
    for (const group of config.groups) {
      const tally = tallies.get(group.id);
      if (variable.columns[group.id] === undefined || !tally?.subgroups.some((s) => s.variable === variable.id)) continue;
      const items: SubgroupBreakdown["items"] = [];
      const notBrokenDown: SubgroupBreakdown["notBrokenDown"] = [];
      for (const item of config.questionnaire.items.filter((candidate) => candidate.columns[group.id] !== undefined)) {
        const { parts, decision } = decideSubgroups(config, tally, variable, item);
        if (!decision.partsUnpublishable) items.push({ item: item.id, subgroups: subgroupShares(config, variable, parts, decision) });
        else notBrokenDown.push({ item: item.id, why: `all ${group.label} who answered gave the same kind of answer (0% or 100% positive), which a breakdown would reveal of a subgroup too small to show` });
      }
      breakdowns.push({
        variable: variable.id,
        label: variable.label,
        group: group.id,
        subgroups: variable.subgroups.map((s) => ({ id: s.id, label: s.label })),
        items,
        notBrokenDown,
      });
    }
  }
  return breakdowns;
}

/** Each subgroup's published share: shown, under the threshold, or hidden to protect the others. */
function subgroupShares(config: CycleConfig, variable: SubgroupVariable, parts: readonly TableCell[], decision: TableDecision): SubgroupBreakdown["items"][number]["subgroups"] {
  const threshold = config.suppressionThreshold;
  const protectedOnes = protectedSubgroups(variable, decision);
  return parts.map((part) => {
    const reason = decision.hiddenParts.get(part.name);
    const share = reason === "base-below-threshold" ? belowThreshold(threshold) : reason === "complementary" ? complementary(threshold, protectedOnes) : shownShare(part.counts[0]!, part.base);
    return { subgroup: part.name, share };
  });
}

/** Whom a decision's secondary suppression protects: the subgroups under the threshold, else those who gave no subgroup. */
export function protectedSubgroups(variable: SubgroupVariable, decision: TableDecision): string {
  if (decision.small.length === 0) return `those who gave no ${variable.label.toLowerCase()}`;
  return decision.small.map((id) => variable.subgroups.find((s) => s.id === id)?.label ?? id).join(", ");
}

/**
 * The disclosure decision for one group's subgroups on one item: each subgroup's base and
 * positive count (in the order the tally has them), which add up, with the respondents who gave
 * no subgroup (never published), to the group's published figure. When the group's figure is
 * itself under the threshold, every subgroup is too.
 */
export function decideSubgroups(config: CycleConfig, tally: GroupTally, variable: SubgroupVariable, item: Item): { parts: TableCell[]; decision: TableDecision } {
  const scale = config.questionnaire.scales.find((s) => s.id === item.scale)!;
  const positive = new Set(scale.positive);
  const excluded = new Set(scale.excludedFromBase);
  const figureOf = (counts: readonly number[] | undefined) => itemBase(counts ?? [], scale.categories, positive, excluded);
  const parts = tally.subgroups
    .filter((s) => s.variable === variable.id)
    .map((s) => {
      const { n, base } = figureOf(s.items.get(item.id)?.counts);
      return { name: s.subgroup, base, counts: [n] };
    });
  const group = figureOf(tally.items.get(item.id)?.counts);
  const threshold = config.suppressionThreshold;
  const unclassified = {
    name: "no subgroup given",
    base: group.base - parts.reduce((sum, part) => sum + part.base, 0),
    counts: [group.n - parts.reduce((sum, part) => sum + part.counts[0]!, 0)],
  };
  if (group.base < threshold) {
    const hiddenParts = new Map(parts.map((part) => [part.name, "base-below-threshold" as const]));
    return { parts, decision: { hiddenParts, totalHidden: true, partsUnpublishable: false, small: parts.map((part) => part.name) } };
  }
  return { parts, decision: decideAdditiveTable(parts, [unclassified], threshold, "hide-parts") };
}
