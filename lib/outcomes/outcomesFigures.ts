import { type BarBlock, type PositiveBar, positiveBarChart } from "../report/barCharts.ts";
import type { OutcomesResults, UnsuccessfulRate } from "./outcomesResultsSchema.ts";

/** A figure of the outcomes report: its number, title and SVG. */
export interface OutcomesFigure {
  id: string;
  title: string;
  svg: string;
}

/** The axis end: the smallest of 1, 2, 4, 5, 10, 20, 50, 100 that leaves room past the longest bar. */
function scaleFor(percentages: readonly number[]): number {
  const most = Math.max(0, ...percentages) * 1.1;
  return [1, 2, 4, 5, 10, 20, 50, 100].find((end) => end >= most) ?? 100;
}

function bar(rate: UnsuccessfulRate): PositiveBar {
  return rate.suppressed ? { label: rate.label, percentage: null, withheld: rate.reason?.includes("worked out") ? "hidden" : "too-few" } : { label: rate.label, percentage: rate.percentage };
}

/**
 * The outcomes report's figures: % of unsuccessful completions by each characteristic (complete
 * cases), then by characteristic and cohort (the trends, from the aggregates), as Appendix 2's
 * Figures 1-3 show them. Withheld rates are said in words, never drawn; each SVG's description
 * gives the highest and lowest rate and every rate shown.
 */
export function outcomesFigures(results: OutcomesResults): OutcomesFigure[] {
  const figures: OutcomesFigure[] = [];
  const add = (title: string, blocks: BarBlock<PositiveBar>[]) => {
    const scale = scaleFor(blocks.flatMap((b) => b.bars.map((x) => x.percentage ?? 0)));
    figures.push({ id: `figure-${figures.length + 1}`, title: `Figure ${figures.length + 1}: ${title}`, svg: positiveBarChart(title, blocks, results.rules.suppression.minimumBase, scale, `the ${title}`) });
  };
  for (const variable of results.rates) add(`% of unsuccessful completions by ${variable.label.toLowerCase()}`, [{ bars: variable.levels.map(bar) }]);
  for (const trend of results.trends) {
    if (trend.cohorts.length === 0) continue;
    add(`% of unsuccessful completions by ${trend.label.toLowerCase()} and cohort`, trend.cohorts.map((cohort) => ({ heading: cohort.cohort, bars: cohort.levels.map(bar) })));
  }
  return figures;
}
