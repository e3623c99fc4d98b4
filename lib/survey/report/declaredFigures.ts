import type { DeclaredFigureResult, ItemResult } from "../results/resultsSchema.ts";
import { type BarBlock, divergingBarChart, type PositiveBar, positiveBarChart } from "../../report/barCharts.ts";
import { categoryMeanings } from "../../report/palette.ts";
import type { ReportContext } from "./reportContext.ts";
import { divergingBar, divergingRow, type FigureData, type GroupResult, positiveWords, withheldOf } from "./reportFigures.ts";

/** One bar of a declared figure: an item's result for one group, and the label it is drawn under. */
interface Bar {
  label: string;
  item: ItemResult;
  result: GroupResult;
}

/** A chart of a declared figure: a group's (one chart per audience) or an item's bars, under an optional heading. */
interface Panel {
  heading?: string;
  bars: Bar[];
}

/**
 * The figures the cycle file declares, as the annual report publishes them: a section of their
 * own, ahead of every automatic figure, each under its published number and title, in number
 * order. Nothing when none is declared or the answers are not yet published.
 *
 * @example declaredFiguresSection(report) // ['<section id="published-figures"><h2>Figures as published</h2>…<figure id="figure-1" …']
 */
export function declaredFiguresSection(report: ReportContext): string[] {
  const { figures, answersPublished } = report.document;
  if (!answersPublished || figures.length === 0) return [];
  const drawn = [...figures].sort((a, b) => a.number - b.number).map((figure) => declaredFigure(report, figure));
  const intro = `<p>The figures of the published report, numbered and titled as published; the tables of their items, further on, give every figure with its base. Figures not published are numbered after them.</p>`;
  return [`<section id="published-figures"><h2>Figures as published</h2>${intro}${drawn.join("\n")}</section>`];
}

/** One declared figure: % positive bars or every answer as diverging bars, one chart per group where declared so. */
function declaredFigure(report: ReportContext, figure: DeclaredFigureResult): string {
  const items = figure.items.flatMap((id) => report.item(id) ?? []);
  const panels = panelsOf(report, figure, items);
  const categories = items.flatMap((item) => item.groups).find((g) => g.categories !== null)?.categories;
  if (!categories) return report.figures.notDrawn(figure.title, figure.number);
  if (figure.chart === "diverging") return divergingDeclared(report, figure, panels, categories);
  return positiveDeclared(report, figure, panels);
}

/**
 * The charts of a declared figure. One per group (a bar per item, under its short label where the
 * cycle file gives one) when drawn per audience or for one group; else one per item (a bar per
 * group), the item named only when there are several.
 */
function panelsOf(report: ReportContext, figure: DeclaredFigureResult, items: ItemResult[]): Panel[] {
  const resultOf = (item: ItemResult, group: string) => item.groups.find((g) => g.group === group);
  if (figure.perGroup || figure.groups.length === 1) {
    return figure.groups.map((group) => ({
      ...(figure.perGroup ? { heading: report.groupName(group) } : {}),
      bars: items.flatMap((item) => {
        const result = resultOf(item, group);
        return result ? [{ label: figure.labels[item.id] ?? item.text, item, result }] : [];
      }),
    }));
  }
  return items.map((item) => ({
    ...(items.length > 1 ? { heading: item.text } : {}),
    bars: figure.groups.flatMap((group) => {
      const result = resultOf(item, group);
      return result ? [{ label: report.groupName(group), item, result }] : [];
    }),
  }));
}

/** The % positive of every bar, with its base; "[c]" where withheld. */
function positiveDeclared(report: ReportContext, figure: DeclaredFigureResult, panels: Panel[]): string {
  const labels = new Set(panels.flatMap((p) => p.bars.map((b) => positiveWords(b.item.positiveLabels))));
  const positive = labels.size === 1 ? `% ${[...labels][0]!}` : "% positive";
  const byItems = figure.perGroup || figure.groups.length === 1;
  const blocks: BarBlock<PositiveBar>[] = panels.map((panel) => ({
    ...(panel.heading ? { heading: panel.heading } : {}),
    bars: panel.bars.map(({ label, result }) => ({
      label,
      percentage: result.share.suppressed ? null : result.share.percentage,
      ...(result.share.suppressed ? { withheld: withheldOf(result.share) } : {}),
    })),
  }));
  const chart = positiveBarChart(figure.title, blocks, report.threshold, 100, `the ${positive} by ${byItems ? "item" : "group"}${figure.perGroup ? ", one chart per group" : ""}`);
  const data: FigureData = {
    columns: ["Item", "Group", "% positive", "Base (n)"],
    rows: barsOf(panels).map(({ item, result }) => [item.text, report.groupName(result.group), ...(result.share.suppressed ? ["[c]", "[c]"] : [result.share.percentage, result.share.base])]),
  };
  return report.figures.add(figure.title, chart, data, figure.number);
}

/** Every answer of every bar as a diverging bar (on the first item's scale), with the % positive and base in its data. */
function divergingDeclared(report: ReportContext, figure: DeclaredFigureResult, panels: Panel[], shown: NonNullable<GroupResult["categories"]>): string {
  const categories = shown.map((c) => c.label);
  const first = barsOf(panels)[0]!.item;
  const meanings = categoryMeanings(categories, first.positiveLabels, first.excludedFromBase);
  const blocks = panels.map((panel) => ({ ...(panel.heading ? { heading: panel.heading } : {}), bars: panel.bars.map(({ label, result }) => divergingBar(label, result)) }));
  const chart = divergingBarChart(figure.title, categories, meanings, blocks, report.threshold);
  const inBase = categories.filter((_, k) => meanings[k] !== "excluded");
  const data: FigureData = {
    columns: ["Item", "Group", "% positive", ...inBase.map((c) => `% ${c}`), "% outside the base", "Base (n)"],
    rows: barsOf(panels).map(({ item, result }) => {
      const share = result.share;
      return [item.text, report.groupName(result.group), share.suppressed ? "[c]" : share.percentage, ...divergingRow(result, inBase), share.suppressed ? "[c]" : share.base];
    }),
  };
  return report.figures.add(figure.title, chart, data, figure.number);
}

/** Every bar of a figure, chart by chart: the rows of its CSV. */
function barsOf(panels: Panel[]): Bar[] {
  return panels.flatMap((panel) => panel.bars);
}
