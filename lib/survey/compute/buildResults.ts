import type { CycleConfig } from "../config/cycleConfig.ts";
import type { CurrentBatch } from "../../ports/ingestLedger.ts";
import { type ComparisonResult, RESULTS_SCHEMA_VERSION, type ResultsDocument } from "../results/resultsSchema.ts";
import { isClosed } from "../config/cycleState.ts";
import type { CodedAnswer } from "../ingest/encodeExport.ts";
import { buildOpenTextCounts, type CodingFile } from "./openTextCounts.ts";
import { buildSubgroupBreakdowns } from "./subgroupBreakdowns.ts";
import { yearOnYear } from "./yearOnYear.ts";
import { buildComparisons } from "./comparisons/buildComparisons.ts";
import type { GroupTally } from "./groupTally.ts";
import { buildItemResults } from "./itemResults.ts";
import { buildItemSetAverages } from "./itemSetAverages.ts";
import { buildRankings } from "./rankings.ts";
import { buildResponseRates } from "./responseRates.ts";
import { attachWeightedShares, type GroupWeightingResult, weightingSummary } from "./weightGroup.ts";
import { attachWeightedTests } from "./comparisons/weightedTests.ts";

/** Everything the results document is computed from. */
export interface ResultsInput {
  config: CycleConfig;
  tallies: ReadonlyMap<string, GroupTally>;
  batches: readonly CurrentBatch[];
  previous: ResultsDocument | undefined;
  now: Date;
  codeVersion: string;
  /** The cycle's ledger generation, read before the batches. */
  generation: number;
  /** Open-text answers' codes per group (from ingest), and the analyst's coding files per question. */
  coded?: ReadonlyMap<string, Record<string, CodedAnswer[]>>;
  coding?: ReadonlyMap<string, CodingFile>;
  /** Links delivered per group from the recipient list (invitations sent minus bounces), where one is used. */
  deliveredByRecipients?: ReadonlyMap<string, number>;
  /** The weighted groups' raking and weighted shares (computed from their respondents' rows). */
  weighting?: readonly GroupWeightingResult[];
}

/** The comparisons, each pair within a weighted group with its weighted test beside it. */
function withWeightedTests(config: CycleConfig, comparisons: ComparisonResult[], weighting: readonly GroupWeightingResult[]): ComparisonResult[] {
  attachWeightedTests(config, comparisons, weighting);
  return comparisons;
}

/**
 * Builds the results document from group tallies (pure: no I/O). Before the close date (start
 * of that day in the cycle's time zone) only response counts and rates are published and the
 * document is provisional; once closed, answers are published too.
 */
export function buildResults(input: ResultsInput): ResultsDocument {
  const { config, tallies } = input;
  const closed = isClosed(config, input.now);
  const items = closed ? buildItemResults(config, tallies) : [];
  const weighting = closed ? (input.weighting ?? []) : [];
  attachWeightedShares(items, weighting);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    cycle: {
      id: config.id,
      title: config.title,
      previousCycleId: config.previousCycleId ?? null,
      previousCycleTitle: input.previous?.cycle.title ?? null,
      timezone: config.timezone,
      opens: config.schedule.opens,
      closes: config.schedule.closes,
    },
    status: closed ? "final" : "provisional",
    answersPublished: closed,
    suppressionThreshold: config.suppressionThreshold,
    responseRates: buildResponseRates(config, tallies, input.deliveredByRecipients),
    items,
    itemSets: closed ? buildItemSetAverages(config, items) : [],
    rankings: closed ? buildRankings(config, tallies, input.previous) : [],
    significanceLevel: config.significanceLevel,
    comparisons: closed ? withWeightedTests(config, buildComparisons(config, tallies, input.previous), weighting) : [],
    openText: closed ? buildOpenTextCounts(config, input.coded ?? new Map(), input.coding ?? new Map()) : [],
    subgroupBreakdowns: closed ? buildSubgroupBreakdowns(config, tallies) : [],
    weighting: weightingSummary(weighting),
    figures: declaredFigures(config),
    yearOnYear: closed ? yearOnYear(config, items, input.previous) : null,
    provenance: {
      uploads: [...input.batches]
        .sort((a, b) => a.group.localeCompare(b.group))
        .map((batch) => ({
          group: batch.group,
          key: batch.upload.key,
          etag: batch.upload.etag,
          checksum: batch.checksum,
          uploadedAt: batch.upload.uploadedAt,
          ...batch.counts,
        })),
      codeVersion: input.codeVersion,
      computedAt: input.now.toISOString(),
      generation: input.generation,
    },
  };
}

/**
 * The figures the cycle file declares, each with its groups resolved: as declared, or every
 * group asked any of its items, in the cycle file's order of groups.
 */
function declaredFigures(config: CycleConfig): ResultsDocument["figures"] {
  return config.figures.map((figure) => {
    const asked = (group: string) => figure.items.some((id) => config.questionnaire.items.find((item) => item.id === id)?.columns[group] !== undefined);
    const groups = figure.groups ?? config.groups.map((g) => g.id).filter(asked);
    return { number: figure.number, title: figure.title, items: figure.items, groups, chart: figure.chart, perGroup: figure.perGroup, labels: figure.labels };
  });
}
