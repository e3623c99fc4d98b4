import type { ComparisonResult, ItemResult, RankingResult, ResultsDocument, Share, SubgroupBreakdown } from "../results/resultsSchema.ts";
import { type NoteId, type PublishedTable, TABLE_SYMBOLS, type TableCell } from "../../publication/publishedTable.ts";

const { confidential: C, notApplicable: Z, notAvailable: X } = TABLE_SYMBOLS;

/** A group's name as readers know it (the group's label, or its id when it has none). */
type GroupLabel = (group: string) => string;

/**
 * Every table of the results, ready for a workbook or CSV: Table 6, each ranking, the items of
 * each scale with the per-answer split, base n and Wilson interval, the item-set averages and
 * the comparisons. Suppressed cells carry [c] and no number.
 */
export function publishedTables(document: ResultsDocument): PublishedTable[] {
  const label = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
  const groupLabel: GroupLabel = (group) => label.get(group) ?? group;
  const tables: PublishedTable[] = [
    responseRatesTable(document),
    ...document.rankings.flatMap((ranking, index) => rankingTables(document, ranking, index, groupLabel)),
    ...openTextTables(document, groupLabel),
    ...scaleNames(document).map((scale, index) => scaleItemsTable(document, scale, index, groupLabel)),
    itemSetsTable(document, groupLabel),
    ...document.subgroupBreakdowns.map((breakdown) => subgroupTable(document, breakdown, groupLabel)),
    ...yearOnYearTables(document, groupLabel),
    ...comparisonsTables(document, groupLabel),
  ];
  numberClashingSheets(tables);
  return tables;
}

/**
 * Table 6: links delivered, responses and response rate per group, then the total. A rate that
 * would be over 100% (fewer delivered to than responded) is [x], with the note saying why.
 */
function responseRatesTable(document: ResultsDocument): PublishedTable {
  const rates = [...document.responseRates.groups, document.responseRates.total];
  return {
    id: "table-6",
    sheet: "Table_6",
    title: `Table 6: survey links delivered, responses and response rate by group, ${document.cycle.title}`,
    notes: [...(rates.some((r) => r.percentage === null) ? (["responseRateNotAvailable"] as const) : []), ...(rates.some((r) => r.notSplit > 0) ? (["serviceAreaNotAsked"] as const) : [])],
    columns: ["Group", "Survey link successfully delivered to", "Responses (child and family only)", "Additional responses (both services)", "Responses", "Response rate (%)"],
    // A group whose export has no service-area question has no split: [x] in both its columns.
    rows: rates.map((r) => [r.label, r.delivered, ...splitCells(r), r.responses, r.percentage ?? X]),
  };
}

/** Table 6's two service-area columns: the counts, or [x] for a group counted without the split (the total's split is only of the groups that have one). */
function splitCells(r: ResultsDocument["responseRates"]["total"]): TableCell[] {
  return r.notSplit > 0 && r.childAndFamilyOnly + r.both === 0 ? [X, X] : [r.childAndFamilyOnly, r.both];
}

/** One multi-select question's ranking: a table for all groups and one per group. */
function rankingTables(document: ResultsDocument, ranking: RankingResult, index: number, groupLabel: GroupLabel): PublishedTable[] {
  // Last year's ranks exist only when the previous cycle's results were read.
  const previousKnown = document.cycle.previousCycleTitle !== null;
  return ranking.scopes.map((scope) => {
    const who = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
    const rows: TableCell[][] = scope.respondents.suppressed
      ? [[C, C, C, C, C, C]]
      : scope.options.map((o) => [o.rank, o.label, o.n, o.percentage, o.previousRank ?? (previousKnown ? Z : X), o.rankChange ?? (previousKnown ? Z : X)]);
    return {
      id: `ranking-${index + 1}-${scope.scope}`,
      sheet: sheetName(`Rank_${index + 1}_${scope.scope}`),
      title: `${questionThen(ranking.text, who)}${scope.respondents.suppressed ? "" : ` (${scope.respondents.base} respondents who answered)`}`,
      notes: ["rankings", ...(scope.respondents.suppressed ? (["suppressed"] as NoteId[]) : []), "notApplicable", "notAvailable"],
      columns: ["Rank", "Option", "Respondents choosing it", "% of respondents who answered", `Rank in ${document.cycle.previousCycleTitle ?? "the previous cycle"}`, "Change in rank (positive = up)"],
      rows,
    };
  });
}

/** The coded themes of each open-text question, for all groups and per group. */
function openTextTables(document: ResultsDocument, groupLabel: GroupLabel): PublishedTable[] {
  return document.openText.flatMap((question, index) =>
    question.scopes.map((scope): PublishedTable => {
      const who = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
      return {
        id: `open-text-${question.id}-${scope.scope}`,
        sheet: sheetName(`Text_${index + 1}_${scope.scope}`),
        title: `${questionThen(question.text, `themes mentioned, ${who}`)}${scope.respondents.suppressed ? "" : ` (${scope.respondents.base} respondents who wrote an answer)`}; coded by ${question.codedBy}`,
        notes: scope.respondents.suppressed ? [scope.respondents.reason === "complementary" ? "complementary" : "suppressed"] : [],
        columns: ["Rank", "Theme", "Mentions", "% of respondents who wrote an answer"],
        rows: scope.respondents.suppressed ? [[C, C, C, C]] : scope.codes.map((code) => [code.rank, code.label, code.n, code.percentage]),
      };
    }),
  );
}

/**
 * A question's text followed by what the table shows of it: after a colon, or, where the
 * question ends in its own punctuation ("…years?"), as a new sentence ("…years? All groups").
 */
function questionThen(question: string, rest: string): string {
  const text = question.trim();
  return /[?.!:]$/.test(text) ? `${text} ${rest.charAt(0).toUpperCase()}${rest.slice(1)}` : `${text}: ${rest}`;
}

/** The answer scales in the order their first item is asked: each gets its own items table. */
function scaleNames(document: ResultsDocument): string[] {
  return [...new Set(document.items.map((item) => item.scale))];
}

/** The items answered on one scale, a row per item and group, with the split by answer. */
function scaleItemsTable(document: ResultsDocument, scale: string, index: number, groupLabel: GroupLabel): PublishedTable {
  const items = document.items.filter((item) => item.scale === scale);
  const categories = answerCategories(items);
  const weighted = document.weighting.some((w) => w.error === null);
  const rows = items.flatMap((item) => item.groups.map((g) => {
    const row = itemGroupRow(item, g, categories, groupLabel, document.suppressionThreshold);
    // The weighted figures go before the last column (why any [c]).
    return weighted ? [...row.slice(0, -1), ...weightedCells(g), row.at(-1)!] : row;
  }));
  const positive = items[0]!.positiveLabels.join(" or ").toLowerCase();
  return {
    id: `items-${scale}`,
    sheet: sheetName(`Items_${index + 1}_${scale}`),
    title: `Answers by item and group, for items answered ${categories.map((c) => c.label).join(" / ")} (% positive = ${positive})`,
    notes: ["percentages", "suppressed", "complementary", "notApplicable", ...(weighted ? (["weighted"] as const) : [])],
    columns: ["Item", "Group", "Base (valid answers)", "% positive", "95% interval: lower (%)", "95% interval: upper (%)", ...categories.map(answerColumn), ...(weighted ? WEIGHTED_COLUMNS : []), WITHHELD_COLUMN],
    rows,
  };
}

/** The weighted figures' columns, beside the unweighted ones, when the cycle weights a group. */
const WEIGHTED_COLUMNS = ["% positive, weighted", "Weighted 95% interval: lower (%)", "Weighted 95% interval: upper (%)", "Effective n (weighted)"];

/** A group's weighted share as cells: [z] where the group is not weighted, [c] where its share is withheld. */
function weightedCells(g: ItemResult["groups"][number]): TableCell[] {
  if (g.share.suppressed) return WEIGHTED_COLUMNS.map(() => C);
  const w = g.weighted;
  if (!w) return WEIGHTED_COLUMNS.map(() => Z);
  return [w.percentage, Math.round(100 * w.interval95.lower), Math.round(100 * w.interval95.upper), Math.round(w.effectiveN)];
}

/** An answer of the scale, in or outside the base. */
interface AnswerCategory {
  label: string;
  inBase: boolean;
}

/** The scale's answers, in the order the items first give them: a column each. */
function answerCategories(items: ItemResult[]): AnswerCategory[] {
  return items.flatMap((item) => item.groups.find((g) => g.categories)?.categories ?? [])
    .map(({ label, inBase }) => ({ label, inBase }))
    .filter((value, i, all) => all.findIndex((c) => c.label === value.label) === i);
}

/** An answer's column: its share of the base, or, outside the base, of every answer (as the diverging chart draws it). */
function answerColumn(category: AnswerCategory): string {
  return category.inBase ? `% ${category.label}` : `% ${category.label} (of all answers)`;
}

/**
 * One item for one group: base, % positive and its interval, then each answer's share of the
 * base, or for an answer outside the base its share of every answer ([z] for an answer the item
 * does not offer); all [c] when the group's share is withheld.
 */
function itemGroupRow(item: ItemResult, g: ItemResult["groups"][number], categories: AnswerCategory[], groupLabel: GroupLabel, threshold: number): TableCell[] {
  if (g.share.suppressed || !g.categories) return [item.text, groupLabel(g.group), C, C, C, C, ...categories.map(() => C), withheldBecause(threshold, [g.share])];
  const base = g.share.base;
  const answered = g.categories.reduce((sum, c) => sum + c.n, 0);
  const byLabel = new Map(g.categories.map((c) => [c.label, c]));
  return [
    item.text,
    groupLabel(g.group),
    base,
    g.share.percentage,
    // Whole percentages throughout, as % positive is published.
    Math.round(g.share.interval95.lower * 100),
    Math.round(g.share.interval95.upper * 100),
    ...categories.map(({ label }) => {
      const category = byLabel.get(label);
      if (category === undefined) return Z;
      return Math.round((100 * category.n) / (category.inBase ? base : answered));
    }),
    Z,
  ];
}

/** The averages across item sets, a row per set and group. */
function itemSetsTable(document: ResultsDocument, groupLabel: GroupLabel): PublishedTable {
  return {
    id: "item-sets",
    sheet: "Item_sets",
    title: "Averages across item sets: the mean of the shown items' percentages, by group",
    notes: ["suppressed"],
    columns: ["Item set", "Group", "Average % positive", "Items averaged", "Items left out (n<30)"],
    rows: document.itemSets.flatMap((set) =>
      set.groups.map((g) => [
        set.title,
        groupLabel(g.group),
        g.average.suppressed ? C : g.average.percentage,
        g.average.suppressed ? 0 : g.average.itemsAveraged.length,
        g.itemsLeftOut.length,
      ]),
    ),
  };
}

/** One subgroup variable within one group: each item's % positive per subgroup. */
function subgroupTable(document: ResultsDocument, b: SubgroupBreakdown, groupLabel: GroupLabel): PublishedTable {
  const text = itemTexts(document);
  const subgroupLabel = new Map(b.subgroups.map((s) => [s.id, s.label]));
  return {
    id: `by-${b.variable}-${b.group}`,
    sheet: sheetName(`By_${b.variable}_${b.group}`),
    title: `${b.label} (${groupLabel(b.group)}): % positive by subgroup`,
    notes: ["percentages", "suppressed", "complementary"],
    columns: ["Item", ...b.subgroups.flatMap((s) => [`% positive, ${s.label}`, `Base, ${s.label}`]), WITHHELD_COLUMN],
    rows: b.items.map((row) => [
      text.get(row.item) ?? row.item,
      ...row.subgroups.flatMap((s) => [percent(s.share), baseOf(s.share)]),
      withheldBecause(document.suppressionThreshold, row.subgroups.map((s) => s.share), row.subgroups.map((s) => subgroupLabel.get(s.subgroup) ?? s.subgroup)),
    ]).concat(b.notBrokenDown.map((left) => [text.get(left.item) ?? left.item, ...b.subgroups.flatMap(() => [C, C]), `not broken down: ${left.why}`])),
  };
}

/** Last year beside this year for every item asked in both: none without such items. */
function yearOnYearTables(document: ResultsDocument, groupLabel: GroupLabel): PublishedTable[] {
  const y = document.yearOnYear;
  if (!y || y.rows.length === 0) return [];
  const text = itemTexts(document);
  return [{
    id: "year-on-year",
    sheet: "Year_on_year",
    title: `Every item asked in both years: % positive in ${y.previousTitle} and ${document.cycle.title}, the change (from the unrounded shares) and its test (p adjusted ${y.adjustment} within each item set)`,
    notes: ["percentages", "suppressed", "notApplicable"],
    columns: ["Item", "Group", `% positive, ${y.previousTitle}`, `% positive, ${document.cycle.title}`, "Change (points)", "Test", "p", "Adjusted within", "Adjusted p", "Significant", WITHHELD_COLUMN],
    rows: y.rows.map((r) => [
      text.get(r.item) ?? r.item,
      groupLabel(r.group),
      percent(r.previous),
      percent(r.current),
      r.changePoints ?? Z,
      r.test ?? Z,
      r.p === null ? Z : round4(r.p),
      r.p === null ? Z : itemSetTitle(document, r.family),
      r.adjustedP === null ? Z : round4(r.adjustedP),
      r.p === null ? Z : r.significant ? "yes" : "no",
      withheldBecause(document.suppressionThreshold, [r.previous, r.current], [y.previousTitle, document.cycle.title]),
    ]),
  }];
}

/** The significance tests between groups, subgroups and years: none when no comparison was set. */
function comparisonsTables(document: ResultsDocument, groupLabel: GroupLabel): PublishedTable[] {
  const weighted = document.comparisons.some((c) => c.pairs.some((p) => p.weighted !== null));
  if (document.comparisons.length === 0) return [];
  return [{
    id: "comparisons",
    sheet: "Comparisons",
    title: `Significance tests between groups, subgroups and years (significant: adjusted p below ${document.significanceLevel})`,
    notes: ["suppressed", "complementary", "notApplicable"],
    columns: ["Comparison", "Item", "Within", "Measure", "Sample A", "Share A (%)", "Base A", "Sample B", "Share B (%)", "Base B", "Test", "Statistic", "p", "Adjusted p", "Significant", ...(weighted ? WEIGHTED_TEST_COLUMNS : []), "Why not tested"],
    rows: document.comparisons.flatMap((c) => comparisonRows(document, c, groupLabel).map((row, i) => (weighted ? [...row.slice(0, -1), ...weightedTestCells(c.pairs[i]), row.at(-1)!] : row))),
  }];
}

/** The weighted test's columns (Rao-Scott), when any pair within a weighted group has one. */
const WEIGHTED_TEST_COLUMNS = ["Weighted test", "Weighted F", "Weighted adjusted p", "Weighted significant"];

/** A pair's weighted test as cells, or [z] where the pair has none. */
function weightedTestCells(pair: ComparisonResult["pairs"][number] | undefined): TableCell[] {
  const w = pair?.weighted;
  return w ? ["Rao-Scott F", round3(w.statistic), round4(w.adjustedP), w.significant ? "yes" : "no"] : WEIGHTED_TEST_COLUMNS.map(() => Z);
}

/**
 * One comparison's rows, one number per cell: a row per pair of samples, each side's share and
 * base, then the pair's test, or [x] and why it was not tested.
 */
function comparisonRows(document: ResultsDocument, c: ComparisonResult, groupLabel: GroupLabel): TableCell[][] {
  const item = document.items.find((i) => i.id === c.item)?.text ?? c.item;
  const within = c.group ? groupLabel(c.group) : Z;
  const side = (id: string): TableCell[] => {
    const sample = c.samples.find((s) => s.id === id);
    return sample ? [sample.label, percent(sample.share), baseOf(sample.share)] : [id, X, X];
  };
  const pairs = c.pairs.length > 0 ? c.pairs : samplePairs(c).map(([a, b]) => ({ a, b, untested: true as const }));
  return pairs.map((p) => [
    c.title,
    item,
    within,
    c.measure,
    ...side(p.a),
    ...side(p.b),
    ...("untested" in p
      ? [X, X, X, X, X, c.notTested ?? "not tested"]
      : [p.test, p.statistic === null ? Z : round3(p.statistic), round4(p.p), round4(p.adjustedP), p.significant ? "yes" : "no", Z]),
  ]);
}

/** Every pair of a comparison's samples, in order. */
function samplePairs(c: ComparisonResult): [string, string][] {
  return c.samples.flatMap((a, i) => c.samples.slice(i + 1).map((b): [string, string] => [a.id, b.id]));
}

/** A share's base as a cell: the count, or [c] when withheld. */
function baseOf(share: Share): TableCell {
  return share.suppressed ? C : share.base;
}

/** Sheet names are cut to Excel's 31 characters, so two could meet: number the later ones. */
function numberClashingSheets(tables: PublishedTable[]): void {
  const taken = new Set<string>();
  for (const table of tables) {
    let name = table.sheet;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${table.sheet.slice(0, 31 - String(n).length - 1)}_${n}`;
    taken.add(name.toLowerCase());
    table.sheet = name;
  }
}

/** An item set's title by id (the year-on-year family), or the family as it stands. */
function itemSetTitle(document: ResultsDocument, family: string): string {
  return document.itemSets.find((set) => set.id === family)?.title ?? family;
}

/** Each item's question text by id, for tables that list items by id. */
function itemTexts(document: ResultsDocument): Map<string, string> {
  return new Map(document.items.map((item) => [item.id, item.text]));
}

/** The last column of a table whose rows may hold [c]: why each [c] of the row is withheld. */
const WITHHELD_COLUMN = "Reason for [c]";

type WithheldReason = Extract<Share, { suppressed: true }>["reason"];

/** Each reason in the table's words, given the cycle's threshold. */
function reasonWording(threshold: number): Record<WithheldReason, string> {
  return {
    "base-below-threshold": `fewer than ${threshold} answered`,
    complementary: "hidden to protect another figure",
    "nothing-to-average": "no item to average",
  };
}

/**
 * Why a row's withheld figures are withheld, each named by its column label when the row has
 * several ("Under 25: too few answered; 25 to 34: hidden to protect another figure"), or [z]
 * when none is.
 */
function withheldBecause(threshold: number, shares: readonly Share[], labels?: readonly string[]): TableCell {
  const wording = reasonWording(threshold);
  const reasons = shares.flatMap((share, i) => {
    if (!share.suppressed) return [];
    const why = wording[share.reason];
    return [labels && shares.length > 1 ? `${labels[i]}: ${why}` : why];
  });
  return reasons.length === 0 ? Z : reasons.join("; ");
}

/** A share as a cell: its percentage, or [c] when withheld. */
function percent(share: Share): TableCell {
  return share.suppressed ? C : share.percentage;
}

function sheetName(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 31);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round4 = (x: number) => Math.round(x * 10000) / 10000;
