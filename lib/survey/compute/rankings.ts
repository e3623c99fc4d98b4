import { type CycleConfig, groupsAskedMultiSelect, type MultiSelectQuestion } from "../config/cycleConfig.ts";
import type { RankingResult, RankingScope, ResultsDocument } from "../results/resultsSchema.ts";
import { competitionRanks } from "./competitionRanks.ts";
import { decideAdditiveTable } from "../../privacy/additiveTable.ts";
import type { GroupTally, MultiSelectTally } from "./groupTally.ts";
import { displayPercentage } from "./percentage.ts";
import { wilsonInterval } from "../../stats/wilsonInterval.ts";
import { belowThreshold, complementary } from "./shareFigure.ts";

/**
 * Ranks the options of each multi-select question by the share of respondents who answered
 * the question (not of selections), high to low with ties sharing a rank, per group asked and
 * for all groups asked combined, with the rank change against the previous cycle's results.
 */
export function buildRankings(
  config: CycleConfig,
  tallies: ReadonlyMap<string, GroupTally>,
  previous: ResultsDocument | undefined,
): RankingResult[] {
  const threshold = config.suppressionThreshold;
  return config.questionnaire.multiSelect.map((question) => {
    const askedOf = new Set(groupsAskedMultiSelect(question));
    const asked = config.groups.map((group) => group.id).filter((group) => askedOf.has(group));
    const perGroup = asked.map((group) => ({
      group,
      tally: tallyOf(question, tallies.get(group)),
    }));
    const previousScopes = new Map(
      previous?.rankings
        .find((ranking) => ranking.id === question.id)
        ?.scopes.map((scope) => [scope.scope, scope]),
    );
    const scope = (
      name: string,
      groups: string[],
      tally: MultiSelectTally,
      hidden?: string,
    ): RankingScope =>
      rankScope(question, name, groups, tally, threshold, previousScopes.get(name), hidden);

    const scopes = perGroup.map(({ group, tally }) => scope(group, [group], tally));
    if (asked.length > 1) {
      const combined = combine(
        question,
        perGroup.map((entry) => entry.tally),
      );
      // Each option's choices are published for all groups: hidden groups that all chose it,
      // or none did, would be given away as much as by their count.
      const decision = decideAdditiveTable(
        perGroup.map(({ group, tally }) => ({ name: group, base: tally.answered, counts: tally.selected })),
        [],
        threshold,
        "hide-total",
      );
      scopes.push(scope("all", asked, combined, decision.totalHidden ? decision.small.join(", ") : undefined));
    }
    return {
      id: question.id,
      text: question.text,
      previousCycleId: previous?.cycle.id ?? null,
      scopes,
    };
  });
}

function rankScope(
  question: MultiSelectQuestion,
  name: string,
  groups: string[],
  tally: MultiSelectTally,
  threshold: number,
  previous: RankingScope | undefined,
  hiddenGroups: string | undefined,
): RankingScope {
  if (hiddenGroups) {
    return {
      scope: name,
      groups,
      respondents: complementary(threshold, `the ranking for ${hiddenGroups}`),
      options: [],
    };
  }
  const base = tally.answered;
  if (base < threshold)
    return { scope: name, groups, respondents: belowThreshold(threshold), options: [] };
  const previousRanks = new Map(previous?.options.map((option) => [option.id, option.rank]));
  const entries = question.options
    .map((option) => ({ option, n: tally.selected[tally.options.indexOf(option.id)] ?? 0 }))
    .sort((a, b) => b.n - a.n);
  const ranks = competitionRanks(entries, (a, b) => b.n - a.n);
  return {
    scope: name,
    groups,
    respondents: { suppressed: false, base },
    options: entries.map(({ option, n }, index) => {
      const rank = ranks[index]!;
      const previousRank = previousRanks.get(option.id) ?? null;
      return {
        id: option.id,
        label: option.label,
        n,
        base,
        proportion: n / base,
        percentage: displayPercentage(n, base),
        interval95: wilsonInterval(n, base),
        rank,
        previousRank,
        rankChange: previousRank === null ? null : previousRank - rank,
      };
    }),
  };
}

function tallyOf(question: MultiSelectQuestion, tally: GroupTally | undefined): MultiSelectTally {
  return (
    tally?.multiSelect.get(question.id) ?? {
      id: question.id,
      options: question.options.map((option) => option.id),
      answered: 0,
      selected: question.options.map(() => 0),
    }
  );
}

function combine(question: MultiSelectQuestion, tallies: MultiSelectTally[]): MultiSelectTally {
  const options = question.options.map((option) => option.id);
  return {
    id: question.id,
    options,
    answered: tallies.reduce((sum, tally) => sum + tally.answered, 0),
    selected: options.map((id) =>
      tallies.reduce((sum, tally) => sum + (tally.selected[tally.options.indexOf(id)] ?? 0), 0),
    ),
  };
}
