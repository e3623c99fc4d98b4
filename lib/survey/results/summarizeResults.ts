import type { ComparisonResult, ResultsDocument, Share } from "./resultsSchema.ts";

/**
 * A short readable summary of a results document: Table 6, the ranked multi-select questions,
 * item-set averages, and what was suppressed and why.
 */
export function summarizeResults(document: ResultsDocument): string {
  const labels = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
  const label: GroupLabel = (group) => labels.get(group) ?? group;
  return [
    ...headline(document),
    ...responseRateTable(document),
    ...rankingLines(document, label),
    ...itemSetLines(document, label),
    ...comparisonLines(document),
    ...suppressedLines(document, label),
  ].join("\n");
}

/** A group's label from the response-rate table, or its id where the table has none. */
type GroupLabel = (group: string) => string;

/** The cycle, its status, and while it is open when answers will be published. */
function headline(document: ResultsDocument): string[] {
  const lines = [`${document.cycle.title} (${document.cycle.id}): ${document.status}`];
  if (!document.answersPublished) {
    lines.push(
      `  Provisional: the survey closes on ${document.cycle.closes}; answers are published after that.`,
    );
  }
  return lines;
}

/**
 * Table 6: delivered links, responses and the response rate per group and in total, then a
 * warning for each rate that is not available (it would be over 100%), saying why.
 */
function responseRateTable(document: ResultsDocument): string[] {
  const lines = ["", "Table 6: annual survey overview"];
  lines.push(row(["group", "delivered", "responses", "additional", "rate"]));
  const rates = [...document.responseRates.groups, document.responseRates.total];
  for (const rate of rates) {
    lines.push(
      row([rate.label, rate.delivered, rate.childAndFamilyOnly, rate.both, rate.percentage === null ? "n/a" : `${rate.percentage}%`]),
    );
  }
  for (const rate of rates) {
    if (rate.notAvailable !== null) lines.push(`  Warning: response rate not available for ${rate.label}: ${rate.notAvailable}.`);
  }
  return lines;
}

/** Each multi-select question's options ranked, per scope (each group, and all groups combined). */
function rankingLines(document: ResultsDocument, label: GroupLabel): string[] {
  const lines: string[] = [];
  for (const ranking of document.rankings) {
    for (const scope of ranking.scopes) {
      lines.push(
        "",
        `Ranked: ${ranking.text} [${scope.scope === "all" ? "all groups" : label(scope.scope)}]`,
      );
      if (scope.respondents.suppressed) {
        lines.push(`  suppressed: ${scope.respondents.note}`);
        continue;
      }
      lines.push(`  base: ${scope.respondents.base} respondents who answered`);
      for (const option of scope.options) {
        lines.push(
          `  ${String(option.rank).padStart(2)}. ${option.label.padEnd(45)} ${String(option.percentage).padStart(3)}%  (${describeRankChange(option.rankChange)}${option.previousRank ? `, was ${option.previousRank}` : ""})`,
        );
      }
    }
  }
  return lines;
}

/** An option's move since the previous cycle: new, unchanged (=), up or down so many places. */
function describeRankChange(rankChange: number | null): string {
  if (rankChange === null) return "new";
  if (rankChange === 0) return "=";
  return rankChange > 0 ? `up ${rankChange}` : `down ${-rankChange}`;
}

/** Each item set's average per group, naming the items left out of it. */
function itemSetLines(document: ResultsDocument, label: GroupLabel): string[] {
  const lines: string[] = [];
  if (document.itemSets.length > 0) lines.push("", "Averages across item sets");
  for (const set of document.itemSets) {
    for (const group of set.groups) {
      const average = group.average.suppressed ? "suppressed" : `${group.average.percentage}%`;
      const leftOut = group.itemsLeftOut.map((entry) => entry.item).join(", ");
      lines.push(
        `  ${set.title} - ${label(group.group)}: ${average}${leftOut ? ` (left out: ${leftOut})` : ""}`,
      );
    }
  }
  return lines;
}

/** One line per comparison, under the significance level the adjusted p-values are judged at. */
function comparisonLines(document: ResultsDocument): string[] {
  if (document.comparisons.length === 0) return [];
  return [
    "",
    `Comparisons (significant: adjusted p < ${document.significanceLevel})`,
    ...document.comparisons.map((comparison) => `  ${describeComparison(comparison)}`),
  ];
}

/** Every suppressed item figure and why, once answers are published (before that none are shown). */
function suppressedLines(document: ResultsDocument, label: GroupLabel): string[] {
  if (!document.answersPublished) return [];
  const suppressed: string[] = [];
  for (const item of document.items) {
    for (const group of item.groups) {
      if (group.share.suppressed)
        suppressed.push(`  ${item.id} - ${label(group.group)}: ${note(group.share)}`);
    }
    if (item.allGroups?.share.suppressed)
      suppressed.push(`  ${item.id} - all groups: ${note(item.allGroups.share)}`);
  }
  return ["", "Suppressed figures", ...(suppressed.length > 0 ? suppressed : ["  none"])];
}

function describeComparison(comparison: ComparisonResult): string {
  if (comparison.notTested) return `${comparison.title}: ${comparison.notTested}`;
  const shares = comparison.samples
    .map((sample) => `${sample.label} ${sample.share.suppressed ? "n<30" : `${sample.share.percentage}%`}`)
    .join(" vs ");
  const pairs = comparison.pairs
    .map((pair) => `${pair.a}-${pair.b} ${pair.test} adj. p ${formatP(pair.adjustedP)}${pair.significant ? " *" : ""}`)
    .join("; ");
  return `${comparison.title}: ${shares} (${pairs})`;
}

function formatP(p: number): string {
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

function note(share: Share): string {
  return share.suppressed ? share.note : "";
}

function row(cells: (string | number)[]): string {
  return `  ${String(cells[0]).padEnd(16)}${cells
    .slice(1)
    .map((cell) => String(cell).padStart(11))
    .join("")}`;
}
