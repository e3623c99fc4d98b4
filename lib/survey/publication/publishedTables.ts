import type { ResultsDocument, Share } from "../results/resultsSchema.ts";
import { type NoteId, type PublishedTable, TABLE_SYMBOLS, type TableCell } from "../../publication/publishedTable.ts";

const { confidential: C, notApplicable: Z, notAvailable: X } = TABLE_SYMBOLS;

/**
 * Every table of the results, ready for a workbook or CSV: Table 6, each ranking, the items of
 * each scale with the per-answer split, base n and Wilson interval, the item-set averages and
 * the comparisons. Suppressed cells carry [c] and no number.
 */
export function publishedTables(document: ResultsDocument): PublishedTable[] {
  const label = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
  const groupLabel = (group: string) => label.get(group) ?? group;
  const percent = (share: Share) => (share.suppressed ? C : share.percentage);
  const tables: PublishedTable[] = [];
  // Last year's ranks exist only when the previous cycle's results were read.
  const previousKnown = document.cycle.previousCycleTitle !== null;

  tables.push({
    id: "table-6",
    sheet: "Table_6",
    title: `Table 6: survey links delivered, responses and response rate by group, ${document.cycle.title}`,
    notes: [],
    columns: ["Group", "Survey link successfully delivered to", "Responses (child and family only)", "Additional responses (both services)", "Responses", "Response rate (%)"],
    rows: [...document.responseRates.groups, document.responseRates.total].map((r) => [r.label, r.delivered, r.childAndFamilyOnly, r.both, r.responses, r.percentage]),
  });

  document.rankings.forEach((ranking, index) => {
    for (const scope of ranking.scopes) {
      const who = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
      const rows: TableCell[][] = scope.respondents.suppressed
        ? [[C, C, C, C, C, C]]
        : scope.options.map((o) => [o.rank, o.label, o.n, o.percentage, o.previousRank ?? (previousKnown ? Z : X), o.rankChange ?? (previousKnown ? Z : X)]);
      tables.push({
        id: `ranking-${index + 1}-${scope.scope}`,
        sheet: sheetName(`Rank_${index + 1}_${scope.scope}`),
        title: `${ranking.text}: ${who}${scope.respondents.suppressed ? "" : ` (${scope.respondents.base} respondents who answered)`}`,
        notes: ["rankings", ...(scope.respondents.suppressed ? (["suppressed"] as NoteId[]) : []), "notApplicable", "notAvailable"],
        columns: ["Rank", "Option", "Respondents choosing it", "% of respondents who answered", `Rank in ${document.cycle.previousCycleTitle ?? "the previous cycle"}`, "Change in rank (positive = up)"],
        rows,
      });
    }
  });

  for (const question of document.openText) {
    for (const scope of question.scopes) {
      const who = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
      tables.push({
        id: `open-text-${question.id}-${scope.scope}`,
        sheet: sheetName(`Text_${question.id}_${scope.scope}`),
        title: `${question.text}: themes mentioned, ${who}${scope.respondents.suppressed ? "" : ` (${scope.respondents.base} respondents who wrote an answer)`}; coded by ${question.codedBy}`,
        notes: scope.respondents.suppressed ? [scope.respondents.reason === "complementary" ? "complementary" : "suppressed"] : [],
        columns: ["Rank", "Theme", "Mentions", "% of respondents who wrote an answer"],
        rows: scope.respondents.suppressed ? [[C, C, C, C]] : scope.codes.map((code) => [code.rank, code.label, code.n, code.percentage]),
      });
    }
  }

  const scales = [...new Set(document.items.map((item) => item.scale))];
  scales.forEach((scale, index) => {
    const items = document.items.filter((item) => item.scale === scale);
    const categories = items.flatMap((item) => item.groups.find((g) => g.categories)?.categories?.map((c) => c.label) ?? [])
      .filter((value, i, all) => all.indexOf(value) === i);
    const rows: TableCell[][] = [];
    for (const item of items) {
      for (const g of item.groups) {
        if (g.share.suppressed || !g.categories) {
          rows.push([item.text, groupLabel(g.group), C, C, C, C, ...categories.map(() => C)]);
          continue;
        }
        const base = g.share.base;
        const byLabel = new Map(g.categories.map((c) => [c.label, c]));
        rows.push([
          item.text,
          groupLabel(g.group),
          base,
          g.share.percentage,
          round1(g.share.interval95.lower * 100),
          round1(g.share.interval95.upper * 100),
          ...categories.map((label) => {
            const category = byLabel.get(label);
            return category && category.inBase ? round1((100 * category.n) / base) : Z;
          }),
        ]);
      }
    }
    const positive = items[0]!.positiveLabels.join(" or ").toLowerCase();
    tables.push({
      id: `items-${scale}`,
      sheet: sheetName(`Items_${index + 1}_${scale}`),
      title: `Answers by item and group, for items answered ${categories.join(" / ")} (% positive = ${positive})`,
      notes: ["percentages", "suppressed", "notApplicable"],
      columns: ["Item", "Group", "Base (valid answers)", "% positive", "95% interval: lower (%)", "95% interval: upper (%)", ...categories.map((c) => `% ${c}`)],
      rows,
    });
  });

  tables.push({
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
  });

  for (const b of document.subgroupBreakdowns) {
    const text = new Map(document.items.map((item) => [item.id, item.text]));
    tables.push({
      id: `by-${b.variable}-${b.group}`,
      sheet: sheetName(`By_${b.variable}_${b.group}`),
      title: `${b.label} (${groupLabel(b.group)}): % positive by subgroup`,
      notes: ["percentages", "suppressed", "complementary"],
      columns: ["Item", ...b.subgroups.map((s) => `% positive, ${s.label}`)],
      rows: b.items.map((row) => [text.get(row.item) ?? row.item, ...row.subgroups.map((s) => percent(s.share))]),
    });
  }

  if (document.yearOnYear && document.yearOnYear.rows.length > 0) {
    const y = document.yearOnYear;
    const text = new Map(document.items.map((item) => [item.id, item.text]));
    tables.push({
      id: "year-on-year",
      sheet: "Year_on_year",
      title: `Every item asked in both years: % positive in ${y.previousTitle} and ${document.cycle.title}, the change and its test (p adjusted ${y.adjustment} across all rows)`,
      notes: ["percentages", "suppressed", "notApplicable"],
      columns: ["Item", "Group", `% positive, ${y.previousTitle}`, `% positive, ${document.cycle.title}`, "Change (points)", "Test", "p", "Adjusted p", "Significant"],
      rows: y.rows.map((r) => [
        text.get(r.item) ?? r.item,
        groupLabel(r.group),
        percent(r.previous),
        percent(r.current),
        r.changePoints ?? Z,
        r.test ?? Z,
        r.p === null ? Z : round4(r.p),
        r.adjustedP === null ? Z : round4(r.adjustedP),
        r.p === null ? Z : r.significant ? "yes" : "no",
      ]),
    });
  }

  if (document.comparisons.length > 0) {
    tables.push({
      id: "comparisons",
      sheet: "Comparisons",
      title: `Significance tests between groups, subgroups and years (significant: adjusted p below ${document.significanceLevel})`,
      notes: ["suppressed", "complementary", "notApplicable"],
      columns: ["Comparison", "Item", "Within", "Samples", "Shares (%)", "Test", "Statistic", "p", "Adjusted p", "Significant"],
      rows: document.comparisons.flatMap((c) => {
        const item = document.items.find((i) => i.id === c.item)?.text ?? c.item;
        const within = c.group ? groupLabel(c.group) : Z;
        const shares = c.samples.map((s) => `${s.label}: ${percent(s.share)}`).join("; ");
        if (c.pairs.length === 0) return [[c.title, item, within, c.samples.map((s) => s.label).join(" vs "), shares, c.notTested ? "not tested" : Z, Z, Z, Z, Z]];
        return c.pairs.map((p) => [
          c.title,
          item,
          within,
          `${c.samples.find((s) => s.id === p.a)?.label ?? p.a} vs ${c.samples.find((s) => s.id === p.b)?.label ?? p.b}`,
          shares,
          p.test,
          p.statistic === null ? Z : round3(p.statistic),
          round4(p.p),
          round4(p.adjustedP),
          p.significant ? "yes" : "no",
        ]);
      }),
    });
  }
  // Sheet names are cut to Excel's 31 characters, so two could meet: number the later ones.
  const taken = new Set<string>();
  for (const table of tables) {
    let name = table.sheet;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${table.sheet.slice(0, 31 - String(n).length - 1)}_${n}`;
    taken.add(name.toLowerCase());
    table.sheet = name;
  }
  return tables;
}

function sheetName(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 31);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round4 = (x: number) => Math.round(x * 10000) / 10000;
