import type { ItemResult, Share, SubgroupBreakdown } from "../results/resultsSchema.ts";
import { escapeHtml } from "../../report/html.ts";
import { chartText, type DivergingBar, divergingBarChart, positiveBarChart } from "../../report/barCharts.ts";
import { categoryMeanings } from "../../report/palette.ts";
import type { ReportContext } from "./reportContext.ts";

/** One figure of the report: its number, title, SVG, alternative text and the data it draws (for its CSV). */
export interface ReportFigure {
  id: string;
  title: string;
  svg: string;
  /** What the figure shows in words: the finding and every figure drawn (the SVG's `<desc>`). */
  description: string;
  columns: string[];
  rows: (string | number)[][];
}

/** The data a figure draws, as its CSV gives it. */
export interface FigureData {
  columns: string[];
  rows: (string | number)[][];
}

/** One group's result on an item. */
export type GroupResult = ItemResult["groups"][number];

/**
 * The report's figures: the ones the cycle file declares under their published numbers, the
 * others numbered in the order the page shows them from `firstAutomatic` (after the highest
 * declared number). With `pngFigures`, each caption also links a PNG (compute writes PNGs only
 * where it has Chromium).
 */
export class FigureList {
  readonly list: ReportFigure[] = [];
  private next: number;

  constructor(private readonly pngFigures: boolean, firstAutomatic = 1) {
    this.next = firstAutomatic;
  }

  /**
   * A chart as a numbered figure (`number` where the cycle file declares it, else the next
   * automatic one), captioned with its downloads; nothing for no chart. The figure is a group
   * named by its caption, not a figure of its own: in a tagged PDF the chart is the one Figure,
   * with its description as the alternative text, and the caption follows it.
   */
  add(title: string, chart: string, data: FigureData, number?: number): string {
    if (chart === "") return "";
    // A chart of nothing but withheld bars says nothing: one line says so instead.
    if (!data.rows.some((row) => row.slice(1).some((cell) => typeof cell === "number"))) return this.notDrawn(title, number);
    const n = number ?? this.next++;
    const id = `figure-${n}`;
    this.list.push({ id, title: `Figure ${n}: ${title}`, svg: chart, description: chartText(chart).description, ...data });
    const formats = ["svg", ...(this.pngFigures ? ["png"] : []), "csv"];
    const downloads = formats.map((f) => `<a href="figures/${id}.${f}" download>${f.toUpperCase()}</a>`).join(" · ");
    const source = number === undefined ? "the table gives the figures" : "the tables of its items give the figures";
    return `<figure id="${id}" role="group" aria-labelledby="${id}-caption">${chart}<figcaption id="${id}-caption"><strong>Figure ${n}:</strong> ${escapeHtml(title)} (${source}) <span class="downloads">Download: ${downloads}</span></figcaption></figure>`;
  }

  /** The line that stands for a figure whose every bar is withheld; a declared one keeps its number (and anchor). */
  notDrawn(title: string, number?: number): string {
    const named = number === undefined ? escapeHtml(title) : `Figure ${number}: ${escapeHtml(title)}`;
    const id = number === undefined ? "" : ` id="figure-${number}"`;
    return `<p class="small"${id}>Not drawn: ${named}. Every figure in it is withheld (too few answers, or hidden to protect another figure); the table${number === undefined ? " above says" : "s of its items say"} which.</p>`;
  }
}

/**
 * The figures for items by group (all groups, or `only` these): the % positive, and every
 * answer as a diverging bar where the scale has three or more answers in the base.
 */
export function itemFigures(report: ReportContext, allItems: ItemResult[], title: string, only?: string[]): string {
  // An item the cycle file draws in a published figure is drawn there only.
  const items = allItems.filter((item) => report.drawnIn(item.id).length === 0);
  const drawn = drawnInLine(report, allItems);
  if (items.length === 0) return drawn;
  const shown = (item: ItemResult) => item.groups.filter((g) => only === undefined || only.includes(g.group));
  // Each item under its own heading only when there are several.
  const heading = items.length > 1;
  const parts = [positiveFigure(report, items, title, shown, heading)];
  const likert = items.filter((item) => likertCategories(item).inBase >= 3);
  if (likert.length > 0) parts.push(divergingFigure(report, likert, title, shown, heading));
  return drawn + parts.join("");
}

/** "Drawn in Figures 1 and 2.": the declared figures that draw any of these items, linked; empty when none does. */
function drawnInLine(report: ReportContext, items: ItemResult[]): string {
  const numbers = [...new Set(items.flatMap((item) => report.drawnIn(item.id)))].sort((a, b) => a - b);
  if (numbers.length === 0) return "";
  const links = numbers.map((n) => `<a href="#figure-${n}">${n}</a>`);
  const listed = links.length === 1 ? links[0]! : `${links.slice(0, -1).join(", ")} and ${links.at(-1)}`;
  return `<p class="small drawn-in">Drawn in Figure${numbers.length === 1 ? "" : "s"} ${listed}.</p>`;
}

/** The % positive of each item, a bar per group. */
function positiveFigure(report: ReportContext, items: ItemResult[], title: string, shown: (item: ItemResult) => GroupResult[], heading: boolean): string {
  const positive = positiveWords(items[0]!.positiveLabels);
  const figureTitle = `${title}: % ${positive}, by group`;
  const chart = positiveBarChart(
    figureTitle,
    items.map((item) => ({
      ...(heading ? { heading: item.text } : {}),
      bars: shown(item).map((g) => ({
        label: report.groupName(g.group),
        percentage: g.share.suppressed ? null : g.share.percentage,
        ...(g.share.suppressed ? { withheld: withheldOf(g.share) } : {}),
      })),
    })),
    report.threshold,
    100,
    `the % ${positive} by group`,
  );
  const data = {
    columns: ["Item", "Group", "% positive"],
    rows: items.flatMap((item) => shown(item).map((g) => [item.text, report.groupName(g.group), g.share.suppressed ? "[c]" : g.share.percentage])),
  };
  return report.figures.add(figureTitle, chart, data);
}

/** Every answer to each item (all on the first item's scale), a diverging bar per group. */
function divergingFigure(report: ReportContext, likert: ItemResult[], title: string, shown: (item: ItemResult) => GroupResult[], heading: boolean): string {
  const { categories } = likertCategories(likert[0]!);
  const meanings = categoryMeanings(categories, likert[0]!.positiveLabels, likert[0]!.excludedFromBase);
  const figureTitle = `${title}: every answer, by group`;
  const chart = divergingBarChart(
    figureTitle,
    categories,
    meanings,
    likert.map((item) => ({
      ...(heading ? { heading: item.text } : {}),
      bars: shown(item).map((g) => divergingBar(report.groupName(g.group), g)),
    })),
    report.threshold,
  );
  const inBase = categories.filter((_, k) => meanings[k] !== "excluded");
  const data = {
    columns: ["Item", "Group", ...inBase.map((c) => `% ${c}`), "% outside the base"],
    rows: likert.flatMap((item) => shown(item).map((g) => [item.text, report.groupName(g.group), ...divergingRow(g, inBase)])),
  };
  return report.figures.add(figureTitle, chart, data);
}

/** A group's bar: each in-base answer as a share of the base, and the share outside the base. */
export function divergingBar(label: string, g: GroupResult): DivergingBar {
  if (g.share.suppressed || !g.categories) return { label, shares: null, excluded: null, withheld: withheldOf(g.share) };
  const base = g.share.base;
  const excludedN = g.categories.filter((c) => !c.inBase).reduce((sum, c) => sum + c.n, 0);
  return {
    label,
    shares: g.categories.filter((c) => c.inBase).map((c) => c.n / base),
    excluded: base + excludedN > 0 ? excludedN / (base + excludedN) : 0,
  };
}

/** A group's bar as CSV cells (after item and group): % of the base per answer, % outside it; "[c]" where withheld. */
export function divergingRow(g: GroupResult, inBase: string[]): (string | number)[] {
  if (g.share.suppressed || !g.categories) return [...inBase.map(() => "[c]"), "[c]"];
  const base = g.share.base;
  const outside = g.categories.filter((c) => !c.inBase).reduce((sum, c) => sum + c.n, 0);
  return [...g.categories.filter((c) => c.inBase).map((c) => round1((100 * c.n) / base)), round1((100 * outside) / (base + outside))];
}

/** A subgroup breakdown's % positive: a bar per subgroup under each item. */
export function subgroupFigure(report: ReportContext, breakdown: SubgroupBreakdown, title: string): string {
  const subgroupLabel = new Map(breakdown.subgroups.map((s) => [s.id, s.label]));
  const chart = positiveBarChart(
    title,
    breakdown.items.map((row) => ({
      heading: report.itemText(row.item),
      bars: row.subgroups.map((s) => ({
        label: subgroupLabel.get(s.subgroup) ?? s.subgroup,
        percentage: s.share.suppressed ? null : s.share.percentage,
        ...(s.share.suppressed ? { withheld: withheldOf(s.share) } : {}),
      })),
    })),
    report.threshold,
    100,
    "the % positive by subgroup",
  );
  const data = {
    columns: ["Item", "Subgroup", "% positive"],
    rows: breakdown.items.flatMap((row) => row.subgroups.map((s) => [report.itemText(row.item), subgroupLabel.get(s.subgroup) ?? s.subgroup, s.share.suppressed ? "[c]" : s.share.percentage])),
  };
  return report.figures.add(title, chart, data);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The positive answers as words in a sentence: each label's first letter in lower case, unless
 * it starts a capitalised word such as an acronym, which keeps its case.
 *
 * @example positiveWords(["Very useful", "Useful"]) // "very useful or useful"
 * @example positiveWords(["Would offer it to the same number of NQSWs"]) // "would offer it to the same number of NQSWs"
 */
export function positiveWords(labels: readonly string[]): string {
  return labels.map((label) => label.replace(/^\p{Lu}(?!\p{Lu})/u, (first) => first.toLowerCase())).join(" or ");
}

/** A figure's withheld mark: too few answers, or hidden to protect another figure. */
export function withheldOf(share: Share): "n<30" | "hidden" {
  return share.suppressed && share.reason === "complementary" ? "hidden" : "n<30";
}

/** An item's categories (from any shown group) and how many are in the base. */
export function likertCategories(item: ItemResult): { categories: string[]; inBase: number } {
  const shown = item.groups.find((g) => g.categories !== null)?.categories ?? [];
  return { categories: shown.map((c) => c.label), inBase: shown.filter((c) => c.inBase).length };
}
