import type { Comparison, CycleConfig, Scale, SubgroupVariable } from "../../config/cycleConfig.ts";
import type { ComparisonResult, ResultsDocument, Share } from "../../results/resultsSchema.ts";
import { adjustPValues } from "../../../stats/adjustPValues.ts";
import type { GroupTally } from "../groupTally.ts";
import { belowThreshold, complementary, shareFigure } from "../shareFigure.ts";
import { decideSubgroups, protectedSubgroups } from "../subgroupBreakdowns.ts";
import { chooseAndRunTests } from "./chooseAndRunTests.ts";
import { describeMeasure, type MeasuredSample, measureCounts, positiveFirst } from "./measureCounts.ts";

/** One side of a comparison: its category counts (blanks excluded), or why it has none. */
interface Side {
  id: string;
  label: string;
  counts: number[] | undefined;
}

/** One test unit: a configured comparison on one item (and, for subgroups and years, one group). */
interface Unit {
  comparison: Comparison;
  id: string;
  title: string;
  item: string;
  group: string | null;
  scale: Scale;
  sides: Side[];
  missing?: string;
  /** Set when the subgroup breakdown hides a subgroup of this group and item: what it protects. Every side is then hidden, untested. */
  withheld?: string;
}

/**
 * The comparisons the cycle file asks for, tested from category counts: between groups on an
 * item, between subgroups within groups, and year on year against the previous cycle's results.
 * No test is run where a compared base is under the suppression threshold (the result says so
 * without revealing the base). Pairwise p-values are adjusted within each family (Holm or BH)
 * and judged at the cycle's significance level.
 */
export function buildComparisons(
  config: CycleConfig,
  tallies: ReadonlyMap<string, GroupTally>,
  previous: ResultsDocument | undefined,
): ComparisonResult[] {
  const units = config.comparisons.flatMap((comparison) => expand(config, comparison, tallies, previous));
  const results = units.map((unit) => testUnit(config, unit));
  adjustWithinFamilies(results, config);
  return results;
}

/** The test units of one configured comparison, by its kind. */
function expand(
  config: CycleConfig,
  comparison: Comparison,
  tallies: ReadonlyMap<string, GroupTally>,
  previous: ResultsDocument | undefined,
): Unit[] {
  if (comparison.kind === "groups") return [groupsUnit(config, comparison, tallies)];
  if (comparison.kind === "subgroups") return subgroupUnits(config, comparison, tallies);
  return yearUnits(config, comparison, tallies, previous);
}

/** Groups compared on one item: one unit, a side per group. */
function groupsUnit(
  config: CycleConfig,
  comparison: Extract<Comparison, { kind: "groups" }>,
  tallies: ReadonlyMap<string, GroupTally>,
): Unit {
  const item = comparison.item;
  return {
    comparison,
    id: comparison.id,
    title: `${comparison.title}: ${itemText(config, item)}`,
    item,
    group: null,
    scale: scaleOf(config, item),
    sides: comparison.groups.map((group) => ({ id: group, label: groupLabel(config, group), counts: countsOf(tallies, group, item) })),
  };
}

/** Subgroups compared within each group on each item: a unit per group and item, a side per subgroup. */
function subgroupUnits(
  config: CycleConfig,
  comparison: Extract<Comparison, { kind: "subgroups" }>,
  tallies: ReadonlyMap<string, GroupTally>,
): Unit[] {
  const variable = config.questionnaire.subgroupVariables.find((v) => v.id === comparison.variable)!;
  return comparison.groups.flatMap((group) =>
    comparison.items.map((item) => ({
      ...groupItemUnit(config, comparison, group, item),
      withheld: withheldSubgroups(config, tallies.get(group), variable, item),
      sides: variable.subgroups.map((subgroup) => ({
        id: subgroup.id,
        label: subgroup.label,
        counts: tallies
          .get(group)
          ?.subgroups.find((s) => s.variable === variable.id && s.subgroup === subgroup.id)
          ?.items.get(item)
          ?.counts.slice(1),
      })),
    })),
  );
}

/**
 * What the subgroup breakdown of a group and item protects, when it hides any subgroup: beside
 * the group's published figure, a shown subgroup's share on any measure could give a hidden one
 * away, so a comparison of those subgroups shows none of them.
 */
function withheldSubgroups(config: CycleConfig, tally: GroupTally | undefined, variable: SubgroupVariable, item: string): string | undefined {
  if (!tally) return undefined;
  const { decision } = decideSubgroups(config, tally, variable, config.questionnaire.items.find((i) => i.id === item)!);
  if (!decision.partsUnpublishable && decision.hiddenParts.size === 0) return undefined;
  return protectedSubgroups(variable, decision);
}

/** What names a unit of one group and item (subgroups, years): its id, title and scale. */
function groupItemUnit(config: CycleConfig, comparison: Comparison, group: string, item: string): Omit<Unit, "sides"> {
  return {
    comparison,
    id: `${comparison.id}/${group}/${item}`,
    title: `${comparison.title}: ${itemText(config, item)} (${groupLabel(config, group)})`,
    item,
    group,
    scale: scaleOf(config, item),
  };
}

/** This cycle against the previous one, per group and item: the previous cycle's side first. */
function yearUnits(
  config: CycleConfig,
  comparison: Extract<Comparison, { kind: "years" }>,
  tallies: ReadonlyMap<string, GroupTally>,
  previous: ResultsDocument | undefined,
): Unit[] {
  return comparison.groups.flatMap((group) =>
    comparison.items.map((item) => {
      const unit: Unit = {
        ...groupItemUnit(config, comparison, group, item),
        sides: [
          { id: config.previousCycleId!, label: previous?.cycle.title ?? config.previousCycleId!, counts: undefined },
          { id: config.id, label: config.title, counts: countsOf(tallies, group, item) },
        ],
      };
      fillPreviousCycleCounts(unit, group, config, comparison.predecessors, previous);
      return unit;
    }),
  );
}

/**
 * The previous cycle's counts for a year-on-year unit, read from its published results (under the
 * item's predecessor id where the wording changed), or why the unit cannot be tested: no
 * previous results, no results for the item and group, or different answer categories. A
 * previous figure that was suppressed has no categories; it counts as empty, so the unit is
 * reported as having too few responses.
 */
function fillPreviousCycleCounts(
  unit: Unit,
  group: string,
  config: CycleConfig,
  predecessors: Record<string, string>,
  previous: ResultsDocument | undefined,
): void {
  const predecessor = predecessors[unit.item] ?? unit.item;
  const before = previous?.items.find((i) => i.id === predecessor)?.groups.find((g) => g.group === group);
  if (!previous) unit.missing = `the previous cycle ${config.previousCycleId} has no results`;
  else if (!before) unit.missing = `the previous cycle has no results for ${predecessor} (${groupLabel(config, group)})`;
  else if (before.categories === null) unit.sides[0]!.counts = [];
  else if (before.categories.map((c) => c.label).join("|") !== unit.scale.categories.join("|")) {
    unit.missing = "the previous cycle's item has different answer categories";
  } else unit.sides[0]!.counts = before.categories.map((c) => c.n);
}

/** The scale an item is answered on. */
function scaleOf(config: CycleConfig, item: string): Scale {
  const q = config.questionnaire;
  return q.scales.find((s) => s.id === q.items.find((i) => i.id === item)!.scale)!;
}

/** An item's question text, as the comparison's title shows it. */
function itemText(config: CycleConfig, item: string): string {
  return config.questionnaire.items.find((i) => i.id === item)!.text;
}

/** A group's label, as the comparison's sides and titles name it. */
function groupLabel(config: CycleConfig, group: string): string {
  return config.groups.find((g) => g.id === group)!.label;
}

/** A group's category counts on an item, blanks left out; undefined when the group has no tally. */
function countsOf(tallies: ReadonlyMap<string, GroupTally>, group: string, item: string): number[] | undefined {
  return tallies.get(group)?.items.get(item)?.counts.slice(1);
}

function testUnit(config: CycleConfig, unit: Unit): ComparisonResult {
  const threshold = config.suppressionThreshold;
  const { comparison } = unit;
  const measured = unit.sides.map((side) => ({
    side,
    measured: side.counts ? measureCounts(side.counts, unit.scale, comparison.measure) : undefined,
  }));
  const small = measured.filter((m) => !m.measured || m.measured.base < threshold);
  const shares: Share[] = measured.map(({ measured: m }) => {
    if (!m || m.base < threshold) return belowThreshold(threshold);
    // Within a group, showing one subgroup beside a hidden one could reveal it from the group's figure.
    if (unit.withheld) return complementary(threshold, unit.withheld);
    return shareFigure(m.successes, m.base, threshold);
  });
  const result: ComparisonResult = {
    id: unit.id,
    comparison: comparison.id,
    title: unit.title,
    kind: comparison.kind,
    family: comparison.family ?? comparison.id,
    adjustment: config.adjustment,
    measure: describeMeasure(comparison.measure),
    item: unit.item,
    group: unit.group,
    samples: unit.sides.map((side, k) => ({ id: side.id, label: side.label, share: shares[k]! })),
    notTested: null,
    omnibus: null,
    pairs: [],
  };
  if (unit.missing) {
    result.notTested = `not tested: ${unit.missing}`;
    return result;
  }
  if (small.length > 0) {
    result.notTested = `not tested: too few responses (n<${threshold}) from ${small.map((m) => m.side.label).join(", ")}`;
    return result;
  }
  if (unit.withheld) {
    result.notTested = `not tested: the subgroups are hidden to protect ${unit.withheld}`;
    return result;
  }
  const samples = measured.map((m) => ({ id: m.side.id, measured: m.measured as MeasuredSample }));
  try {
    const { omnibus, pairs } = chooseAndRunTests(samples, comparison.measure, positiveFirst(unit.scale));
    result.omnibus = omnibus && { ...omnibus, adjustedP: omnibus.p, significant: false };
    result.pairs = pairs.map((pair) => ({ ...pair, adjustedP: pair.p, significant: false, weighted: null }));
  } catch (error) {
    result.notTested = `not tested: ${(error as Error).message}`;
  }
  return result;
}

/**
 * Adjusts every p-value of a family together, the omnibus tests' with the pairwise ones (an
 * omnibus test is one more hypothesis of the family, not a free pass), and judges each on its
 * adjusted p at the cycle's significance level.
 */
function adjustWithinFamilies(results: ComparisonResult[], config: CycleConfig): void {
  const families = new Map<string, { p: number; adjustedP?: number; significant: boolean }[]>();
  for (const result of results) {
    const tests = [...(result.omnibus ? [result.omnibus] : []), ...result.pairs];
    families.set(result.family, [...(families.get(result.family) ?? []), ...tests]);
  }
  for (const tests of families.values()) {
    const adjusted = adjustPValues(
      tests.map((test) => test.p),
      config.adjustment,
    );
    tests.forEach((test, i) => {
      test.adjustedP = adjusted[i]!;
      test.significant = test.adjustedP < config.significanceLevel;
    });
  }
}
