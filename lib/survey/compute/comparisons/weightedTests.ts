import { adjustPValues } from "../../../stats/adjustPValues.ts";
import { raoScottChiSquare } from "../../../stats/raoScottChiSquare.ts";
import { StatisticsInputError } from "../../../stats/statisticsInputError.ts";
import type { CycleConfig, Measure, Scale } from "../../config/cycleConfig.ts";
import type { ComparisonResult } from "../../results/resultsSchema.ts";
import type { GroupWeightingResult } from "../weightGroup.ts";

/**
 * Beside each tested pair of subgroups within a weighted group, the same comparison on the
 * weighted data: the Rao-Scott adjusted F test (R: `svychisq(~subgroup + answer, design,
 * statistic = "F")`) on the pair's respondents, each answer as the comparison measures it (the
 * positive share, one category, or every category), out of base left out. Its p-values are
 * adjusted within the comparison's family, among the weighted tests.
 */
export function attachWeightedTests(config: CycleConfig, comparisons: ComparisonResult[], weighting: readonly GroupWeightingResult[]): void {
  for (const c of comparisons) {
    const weighted = weighting.find((w) => w.group === c.group && w.error === null);
    const configured = config.comparisons.find((candidate) => candidate.id === c.comparison);
    if (!weighted || configured?.kind !== "subgroups" || c.pairs.length === 0) continue;
    const variable = weighted.batch.header.subgroupVariables.find((v) => v.id === configured.variable);
    const item = weighted.batch.header.items.find((i) => i.id === c.item);
    const scale = config.questionnaire.scales.find((s) => s.id === config.questionnaire.items.find((i) => i.id === c.item)?.scale);
    if (!variable || !item || !scale) continue;
    const answers = answersOf(weighted, item, scale, configured.measure);
    const subgroups = column(weighted, variable.offset).map((code) => (code === 0 ? null : variable.subgroups[code - 1]!));
    for (const pair of c.pairs) {
      const inPair = subgroups.map((s) => (s === pair.a || s === pair.b ? s : null));
      try {
        const test = raoScottChiSquare(inPair, answers, weighted.weights);
        pair.weighted = { test: "rao-scott", statistic: test.statistic, ndf: test.ndf, ddf: test.ddf, p: test.p, adjustedP: test.p, significant: false };
      } catch (error) {
        if (!(error instanceof StatisticsInputError)) throw error;
      }
    }
  }
  adjustWeightedWithinFamilies(config, comparisons);
}

/** One byte of every row of the weighted group's batch. */
function column(weighted: GroupWeightingResult, offset: number): number[] {
  const { rows, count, header } = weighted.batch;
  return Array.from({ length: count }, (_, r) => rows[r * header.rowWidth + offset]!);
}

/** Each respondent's answer as the comparison measures it: positive or not, in the category or not, or the category itself; null out of base. */
function answersOf(weighted: GroupWeightingResult, item: { offset: number; categories: string[] }, scale: Scale, measure: Measure): (string | boolean | null)[] {
  const excluded = new Set(scale.excludedFromBase);
  const positive = new Set(scale.positive);
  return column(weighted, item.offset).map((code) => {
    const label = code === 0 ? undefined : item.categories[code - 1];
    if (label === undefined || excluded.has(label)) return null;
    if (measure === "distribution") return label;
    if (typeof measure === "object") return label === measure.category;
    return positive.has(label);
  });
}

/** Adjusts the weighted tests' p-values within each family, as the unweighted ones are, and judges them. */
function adjustWeightedWithinFamilies(config: CycleConfig, comparisons: readonly ComparisonResult[]): void {
  const families = new Map<string, NonNullable<ComparisonResult["pairs"][number]["weighted"]>[]>();
  for (const c of comparisons) for (const pair of c.pairs) if (pair.weighted) families.set(c.family, [...(families.get(c.family) ?? []), pair.weighted]);
  for (const tests of families.values()) {
    const adjusted = adjustPValues(tests.map((t) => t.p), config.adjustment);
    tests.forEach((test, i) => {
      test.adjustedP = adjusted[i]!;
      test.significant = test.adjustedP < config.significanceLevel;
    });
  }
}
