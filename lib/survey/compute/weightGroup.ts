import { rake, type RakeMargin, type RakeResult, type RakeRow } from "../../stats/rake.ts";
import { StatisticsInputError } from "../../stats/statisticsInputError.ts";
import { trimWeights } from "../../stats/trimWeights.ts";
import { type WeightedShare, weightedShare } from "../../stats/weightedShare.ts";
import type { CycleConfig, GroupWeighting } from "../config/cycleConfig.ts";
import type { BatchHeader } from "../ingest/batchFormat.ts";
import type { ItemResult, ResultsDocument } from "../results/resultsSchema.ts";

/** A group's respondents as the weighting reads them: the batch's header and every row. */
export interface BatchRows {
  header: BatchHeader;
  rows: Uint8Array;
  count: number;
}

/** One item's weighted share: with the weights as given, and for the raked design. */
export interface WeightedItemShare {
  /** The share with the raked design's standard error (and its intervals). */
  raked: WeightedShare;
  /** The standard error with the final weights taken as given (R: svymean on svydesign(weights = ~w)). */
  standardErrorWeightsAsGiven: number;
}

/** What weighting one group gave: how the raking went, and each item's weighted share; or why it could not be done. */
export interface GroupWeightingResult {
  group: string;
  margins: string[];
  respondents: number;
  iterations: number;
  converged: boolean;
  trimmed: boolean;
  warnings: string[];
  /** Why the group could not be weighted (then there are no weighted figures), or null. */
  error: string | null;
  items: Map<string, WeightedItemShare>;
  /** The final weights, row by row of `batch` (empty when the group could not be weighted). */
  weights: number[];
  /** The respondents' rows the weights belong to (the weighted tests read them). */
  batch: BatchRows;
}

/**
 * Weights one group's respondents to its population (each margin's totals, as resolved from the
 * cycle file: {@link resolvePopulation}), raked on each margin (a subgroup variable, each
 * respondent's subgroup read from the batch) as R's
 * `survey::rake`, then trimmed as `trimWeights` when bounds are set; then each item's weighted
 * share positive over respondents in base, with both standard errors. A respondent in no
 * subgroup of a margin, or a subgroup no respondent is in, stops the weighting with an error
 * naming it: the unweighted figures stand alone.
 */
export function weightGroup(config: CycleConfig, weighting: GroupWeighting, batch: BatchRows, population: readonly RakeMargin[] | { error: string }): GroupWeightingResult {
  const margins = weighting.margins.map((margin) => margin.variable);
  const result: GroupWeightingResult = { group: weighting.group, margins, respondents: batch.count, iterations: 0, converged: false, trimmed: weighting.trim !== undefined, warnings: [], error: null, items: new Map(), weights: [], batch };
  if ("error" in population) return { ...result, error: population.error };
  try {
    const raked = rake(marginRows(weighting, batch), population, { epsilon: weighting.epsilon, maxIterations: weighting.maxIterations });
    const weights = weighting.trim ? trimWeights(raked.weights, weighting.trim).weights : raked.weights;
    Object.assign(result, { iterations: raked.iterations, converged: raked.converged, warnings: raked.warnings, weights });
    for (const item of batch.header.items) {
      const positive = positiveAnswers(config, item, batch);
      if (!positive.some((answer) => answer !== null)) continue;
      result.items.set(item.id, shareOf(positive, weights, raked));
    }
  } catch (error) {
    if (!(error instanceof StatisticsInputError)) throw error;
    result.error = error.message;
  }
  return result;
}

/** Both standard errors of one item's weighted share. */
function shareOf(positive: readonly (boolean | null)[], weights: readonly number[], raked: RakeResult): WeightedItemShare {
  return { raked: weightedShare(positive, weights, { calibration: raked }), standardErrorWeightsAsGiven: weightedShare(positive, weights).standardError };
}

/** Each respondent's subgroup on each margin (null when in none: rake refuses it, naming it). */
function marginRows(weighting: GroupWeighting, batch: BatchRows): RakeRow[] {
  const variables = weighting.margins.map((margin) => {
    const variable = batch.header.subgroupVariables.find((v) => v.id === margin.variable);
    if (!variable) throw new StatisticsInputError(`the ${weighting.group} export has no column for the weighting margin "${margin.variable}"`);
    return variable;
  });
  const { rows, count } = batch;
  const width = batch.header.rowWidth;
  return Array.from({ length: count }, (_, r) =>
    Object.fromEntries(variables.map((variable) => {
      const code = rows[r * width + variable.offset]!;
      return [variable.id, code === 0 ? null : variable.subgroups[code - 1]!];
    })),
  );
}

/** Each respondent's answer to an item: positive or not, null out of base (blank, or a category outside the base). */
function positiveAnswers(config: CycleConfig, item: BatchHeader["items"][number], batch: BatchRows): (boolean | null)[] {
  const configured = config.questionnaire.items.find((candidate) => candidate.id === item.id);
  const scale = config.questionnaire.scales.find((candidate) => candidate.id === configured?.scale);
  if (!scale) return [];
  const positive = new Set(scale.positive);
  const excluded = new Set(scale.excludedFromBase);
  const width = batch.header.rowWidth;
  return Array.from({ length: batch.count }, (_, r) => {
    const code = batch.rows[r * width + item.offset]!;
    const label = code === 0 ? undefined : item.categories[code - 1];
    return label === undefined || excluded.has(label) ? null : positive.has(label);
  });
}

/**
 * Sets each weighted group's weighted share beside its unweighted one, where the unweighted
 * share is shown (suppression always reads the unweighted base) and every figure is finite.
 */
export function attachWeightedShares(items: ItemResult[], weighting: readonly GroupWeightingResult[]): void {
  for (const result of weighting) {
    for (const item of items) {
      const shown = item.groups.find((g) => g.group === result.group);
      const share = result.items.get(item.id);
      if (!shown || shown.share.suppressed || !share) continue;
      const { raked } = share;
      const figures = [raked.estimate, raked.standardError, raked.lower95, raked.upper95, raked.betaLower95, raked.betaUpper95, raked.designEffect, raked.effectiveN];
      if (!figures.every(Number.isFinite)) continue;
      shown.weighted = {
        proportion: raked.estimate,
        percentage: Math.floor(100 * raked.estimate + 0.5),
        standardError: raked.standardError,
        standardErrorWeightsAsGiven: share.standardErrorWeightsAsGiven,
        interval95: { lower: raked.lower95, upper: raked.upper95 },
        intervalBeta95: { lower: raked.betaLower95, upper: raked.betaUpper95 },
        designEffect: raked.designEffect,
        effectiveN: raked.effectiveN,
      };
    }
  }
}

/** The weighting as results.json records it: how each group was raked, or why it was not. */
export function weightingSummary(weighting: readonly GroupWeightingResult[]): ResultsDocument["weighting"] {
  return weighting.map(({ group, margins, respondents, iterations, converged, trimmed, warnings, error }) => ({ group, margins, respondents, iterations, converged, trimmed, warnings, error }));
}
