import type { ComparisonResult, ResultsDocument, Share } from "./resultsSchema.ts";

/**
 * A short readable summary of a results document: Table 6, the ranked multi-select questions,
 * item-set averages, and what was suppressed and why.
 */
export function summarizeResults(document: ResultsDocument): string {
  const lines: string[] = [];
  const labels = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
  const label = (group: string) => labels.get(group) ?? group;
  lines.push(`${document.cycle.title} (${document.cycle.id}): ${document.status}`);
  if (!document.answersPublished) {
    lines.push(
      `  Provisional: the survey closes on ${document.cycle.closes}; answers are published after that.`,
    );
  }
  lines.push("", "Table 6: annual survey overview");
  lines.push(row(["group", "delivered", "responses", "additional", "rate"]));
  for (const rate of [...document.responseRates.groups, document.responseRates.total]) {
    lines.push(
      row([rate.label, rate.delivered, rate.childAndFamilyOnly, rate.both, `${rate.percentage}%`]),
    );
  }
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
        const change =
          option.rankChange === null
            ? "new"
            : option.rankChange === 0
              ? "="
              : option.rankChange > 0
                ? `up ${option.rankChange}`
                : `down ${-option.rankChange}`;
        lines.push(
          `  ${String(option.rank).padStart(2)}. ${option.label.padEnd(45)} ${String(option.percentage).padStart(3)}%  (${change}${option.previousRank ? `, was ${option.previousRank}` : ""})`,
        );
      }
    }
  }
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
  if (document.comparisons.length > 0) {
    lines.push("", `Comparisons (significant: adjusted p < ${document.significanceLevel})`);
    for (const comparison of document.comparisons) lines.push(`  ${describeComparison(comparison)}`);
  }
  const suppressed: string[] = [];
  for (const item of document.items) {
    for (const group of item.groups) {
      if (group.share.suppressed)
        suppressed.push(`  ${item.id} - ${label(group.group)}: ${note(group.share)}`);
    }
    if (item.allGroups?.share.suppressed)
      suppressed.push(`  ${item.id} - all groups: ${note(item.allGroups.share)}`);
  }
  if (document.answersPublished) {
    lines.push("", "Suppressed figures");
    lines.push(...(suppressed.length > 0 ? suppressed : ["  none"]));
  }
  return lines.join("\n");
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
