import type { PublishedTable, TableCell } from "../publication/publishedTable.ts";
import { type BarBlock, type PositiveBar, positiveBarChart } from "../report/barCharts.ts";
import { countBarChart } from "./countBarChart.ts";
import type { OutcomesResults, ServiceAreaShare, UnsuccessfulRate } from "./outcomesResultsSchema.ts";

/**
 * A figure of the outcomes report: its file id (`figure-N`, N its place among the outcomes
 * figures), its heading with the published number ("Appendix 2, Figure 4: …"), its SVG, and the
 * data it draws as a table (its CSV).
 */
export interface OutcomesFigure {
  id: string;
  title: string;
  svg: string;
  data: PublishedTable;
}

/** A figure before it is numbered: the appendix it belongs to (none: ours, not in the report), its title, chart and data. */
interface FigureDraft {
  appendix?: 1 | 2;
  title: string;
  /** Draws the chart under the heading it will carry. */
  chart: (heading: string) => string;
  columns: string[];
  rows: TableCell[][];
}

const C = "[c]";
const Z = "[z]";

/** The axis end: the smallest of 1, 2, 4, 5, 10, 20, 50, 100 that leaves room past the longest bar. */
function scaleFor(percentages: readonly number[]): number {
  const most = Math.max(0, ...percentages) * 1.1;
  return [1, 2, 4, 5, 10, 20, 50, 100].find((end) => end >= most) ?? 100;
}

/** A count as text for a label: 1,234. */
const n = (value: number) => value.toLocaleString("en-GB");

/** A rate's bar, labelled with its base; a withheld one said in words, with no base. */
function bar(rate: UnsuccessfulRate | ServiceAreaShare): PositiveBar {
  if (rate.suppressed) return { label: rate.label, percentage: null, withheld: rate.reason?.includes("worked out") ? "hidden" : "too-few" };
  return { label: rate.base === null ? rate.label : `${rate.label} (n=${n(rate.base)})`, percentage: rate.percentage };
}

/** A percentage to one decimal, keeping its trailing zero: "2.0". */
const oneDecimal = (value: number | null): TableCell => (value === null ? "[x]" : value.toFixed(1));

/** A rate's CSV cells: base, unsuccessful, % (one decimal); [c] when withheld, [x] when no record has it. */
function rateCells(rate: UnsuccessfulRate): TableCell[] {
  if (rate.suppressed) return [C, C, C];
  return rate.base === null ? [0, "[x]", "[x]"] : [rate.base, rate.unsuccessful!, oneDecimal(rate.percentage)];
}

/**
 * The outcomes figures in the report's order: Appendix 1's registrations by financial year
 * (Figure 1) and by area (Figure 2); Appendix 2's unsuccessful completions by characteristic and
 * cohort (Figures 1-3, the trends) and the service areas compared (Figures 4-6); then ours, not
 * in the report: the unsuccessful rate by characteristic over the analysis cohorts. Withheld
 * figures are said in words, never drawn; each SVG's description gives every figure shown.
 */
export function outcomesFigures(results: OutcomesResults): OutcomesFigure[] {
  const drafts = [...registrationFigures(results), ...trendFigures(results), ...serviceAreaFigures(results), ...rateFigures(results)];
  const numbers = { 1: 0, 2: 0 };
  return drafts.map((draft, i) => {
    const id = `figure-${i + 1}`;
    const title = draft.appendix ? `Appendix ${draft.appendix}, Figure ${++numbers[draft.appendix]}: ${draft.title}` : `Figure ${i + 1} (not in the published report): ${draft.title}`;
    return { id, title, svg: draft.chart(title), data: { id, sheet: id, title, notes: [], columns: draft.columns, rows: draft.rows } };
  });
}

/** Appendix 1, Figures 1 and 2: registrations by financial year, and the registration cohort's by area and region. */
function registrationFigures(results: OutcomesResults): FigureDraft[] {
  const r = results.registrations;
  if (!r) return [];
  const drafts: FigureDraft[] = [];
  if (r.byFinancialYear.length > 0) {
    drafts.push({
      appendix: 1,
      title: "NQSW registrations by financial year",
      chart: (heading) => countBarChart(heading, [{ bars: r.byFinancialYear.map((y) => ({ label: y.financialYear, count: y.nqsws })) }], "the NQSWs registered in each financial year (April to March)"),
      columns: ["Financial year (April to March)", "NQSWs registered"],
      rows: [...r.byFinancialYear.map((y): TableCell[] => [y.financialYear, y.nqsws]), ...(r.withoutRegistrationDate > 0 ? [["Registration date not known", r.withoutRegistrationDate]] : [])],
    });
  }
  if (r.byArea.length > 0) {
    const regionsOf = (area: (typeof r.byArea)[number]) => r.byRegion.filter((region) => area.regions.includes(region.level));
    drafts.push({
      appendix: 1,
      title: `${r.cohort} registrations by area`,
      chart: (heading) =>
        countBarChart(heading, r.byArea.map((area) => ({ heading: `${area.label}: ${n(area.nqsws)} NQSWs, ${area.percentage}% of ${n(r.total.nqsws)}`, bars: regionsOf(area).map((region) => ({ label: region.label, count: region.nqsws })) })), `the ${r.cohort} registrations by region, grouped by area`),
      columns: ["Area", "Region", "NQSWs registered", "% of registrations"],
      rows: r.byArea.flatMap((area): TableCell[][] => [[area.label, "All regions of the area", area.nqsws, area.percentage], ...regionsOf(area).map((region): TableCell[] => [area.label, region.label, region.nqsws, Z])]),
    });
  }
  return drafts;
}

/** Appendix 2, Figures 1-3: the unsuccessful rate by each characteristic and cohort (the trends), each bar with its base. */
function trendFigures(results: OutcomesResults): FigureDraft[] {
  const who = results.serviceAreas ? ` for ${results.serviceAreas.analysedLabel.toLowerCase()} NQSWs` : "";
  return results.trends
    .filter((trend) => trend.cohorts.length > 0)
    .map((trend) => {
      const blocks = trend.cohorts.map((cohort) => ({ heading: cohort.cohort, bars: cohort.levels.map(bar) }));
      const title = `% of unsuccessful completions by ${trend.label.toLowerCase()}${who}`;
      return {
        appendix: 2 as const,
        title,
        chart: (heading: string) => rateChart(results, heading, title, blocks),
        columns: ["Cohort", trend.label, "NQSWs with a known outcome", "Unsuccessful", "% unsuccessful"],
        rows: trend.cohorts.flatMap((cohort) => cohort.levels.map((level): TableCell[] => [cohort.cohort, level.label, ...rateCells(level)])),
      };
    });
}

/** Appendix 2, Figures 4-6: the unsuccessful rate by service area and cohort, then each share by service area and cohort. */
function serviceAreaFigures(results: OutcomesResults): FigureDraft[] {
  const s = results.serviceAreas;
  if (!s) return [];
  const drafts: FigureDraft[] = [];
  if (s.unsuccessful.length > 0) {
    const blocks = s.unsuccessful.map((cohort) => ({ heading: cohort.cohort, bars: cohort.levels.map(bar) }));
    const title = `% of unsuccessful completions by ${s.label.toLowerCase()}`;
    drafts.push({
      appendix: 2,
      title,
      chart: (heading) => rateChart(results, heading, title, blocks),
      columns: ["Cohort", s.label, `NQSWs with a known outcome and ${s.rateBasisLabel.toLowerCase()}`, "Unsuccessful", "% unsuccessful"],
      rows: s.unsuccessful.flatMap((cohort) => cohort.levels.map((level): TableCell[] => [cohort.cohort, level.label, ...rateCells(level)])),
    });
  }
  for (const share of s.shares) {
    // Whole per cent on a 0-100 axis (the chart writes 24.0 as "24"), rounded from the unrounded share; the CSV gives one decimal.
    const whole = (area: ServiceAreaShare): PositiveBar => ({ ...bar(area), ...(area.proportion === null ? {} : { percentage: Math.floor(100 * area.proportion + 0.5) }) });
    const blocks = share.cohorts.map((cohort) => ({ heading: cohort.cohort, bars: cohort.areas.map(whole) }));
    drafts.push({
      appendix: 2,
      title: share.title,
      chart: (heading) => positiveBarChart(heading, blocks, results.rules.suppression.minimumBase, scaleFor(blocks.flatMap((b) => b.bars.map((x) => x.percentage ?? 0))), `the ${share.title}`),
      columns: ["Cohort", s.label, `NQSWs whose ${share.variableLabel.toLowerCase()} is known`, `${share.levelLabel} NQSWs`, `% ${share.levelLabel.toLowerCase()}`],
      rows: share.cohorts.flatMap((cohort) => cohort.areas.map((area): TableCell[] => [cohort.cohort, area.label, ...(area.suppressed ? [C, C, C] : area.base === null ? [0, "[x]", "[x]"] : [area.base, area.count!, oneDecimal(area.percentage)])])),
    });
  }
  return drafts;
}

/** Ours: the unsuccessful rate by each characteristic over the complete cases of the analysis cohorts. */
function rateFigures(results: OutcomesResults): FigureDraft[] {
  const cohorts = results.cycle.analysisCohorts.join(", ");
  return results.rates.map((variable) => ({
    title: `% of unsuccessful completions by ${variable.label.toLowerCase()} (complete cases, cohorts ${cohorts})`,
    chart: (heading: string) => rateChart(results, heading, `% of unsuccessful completions by ${variable.label.toLowerCase()}`, [{ bars: variable.levels.map(bar) }]),
    columns: [variable.label, "Complete cases", "Unsuccessful", "% unsuccessful"],
    rows: variable.levels.map((level): TableCell[] => [level.label, ...rateCells(level)]),
  }));
}

/** A chart of unsuccessful rates (`what` they are, for its description), on an axis of a few per cent. */
function rateChart(results: OutcomesResults, heading: string, what: string, blocks: BarBlock<PositiveBar>[]): string {
  const scale = scaleFor(blocks.flatMap((b) => b.bars.map((x) => x.percentage ?? 0)));
  return positiveBarChart(heading, blocks, results.rules.suppression.minimumBase, scale, `the ${what}`);
}
