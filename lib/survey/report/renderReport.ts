import type {
  ComparisonResult,
  ItemResult,
  ItemSetResult,
  OpenTextResult,
  RankingResult,
  ResponseRate,
  ResultsDocument,
  SubgroupBreakdown,
  YearOnYear,
} from "../results/resultsSchema.ts";
import { escapeHtml, htmlTable } from "../../report/html.ts";
import { reportStyles } from "../../report/reportStyles.ts";
import { formatDateTime, formatLongDate } from "../../time/formatDateTime.ts";
import { type Footnotes, ReportContext } from "./reportContext.ts";
import { itemFigures, likertCategories, type ReportFigure, subgroupFigure } from "./reportFigures.ts";

/**
 * The results as one self-contained HTML page (no external assets) for report authors:
 * Table 6, ranked challenges with rank-change arrows, each item set and every other item as a
 * table and a stacked bar chart by group, suppressed figures as "n<30" with a footnote,
 * significant differences footnoted with the test and adjusted p, and a provisional banner
 * while the survey is open. Real tables stand behind every chart; it prints cleanly.
 */
export function renderReport(document: ResultsDocument): string {
  return buildReport(document).html;
}

export type { ReportFigure } from "./reportFigures.ts";

/**
 * The report and its figures. With `pngFigures`, each figure's caption also links a PNG
 * (compute writes PNGs only where it has Chromium).
 */
export function buildReport(document: ResultsDocument, options: { pngFigures?: boolean } = {}): { html: string; figures: ReportFigure[] } {
  // Notes and figures are numbered as the sections add them, so the sections are written in page order.
  const report = new ReportContext(document, options.pngFigures ?? false);
  const others = itemsOutsideSets(document);
  const yearOnYear = document.yearOnYear;
  const sections = [
    overviewSection(report),
    ...(document.answersPublished ? [] : [notYetPublishedSection(document)]),
    ...document.rankings.map((ranking) => rankingSection(report, ranking)),
    ...document.openText.map((question) => openTextSection(report, question)),
    ...document.itemSets.map((set) => itemSetSection(report, set)),
    ...(others.length > 0 ? [otherItemsSection(report, others)] : []),
    ...(document.subgroupBreakdowns.length > 0 ? [subgroupSection(report, document.subgroupBreakdowns)] : []),
    ...(yearOnYear && yearOnYear.rows.length > 0 ? [yearOnYearSection(report, yearOnYear)] : []),
    ...(document.comparisons.length > 0 ? [comparisonsSection(report, document.comparisons)] : []),
  ];
  return { html: reportPage(report, sections), figures: report.figures.list };
}

/** Table 6's two service-area cells: the counts, or "not asked" for a group counted without the split. */
function splitOf(r: ResultsDocument["responseRates"]["total"]): (string | number)[] {
  return r.notSplit > 0 && r.childAndFamilyOnly + r.both === 0 ? ["not asked", "not asked"] : [r.childAndFamilyOnly, r.both];
}

/**
 * Table 6: links delivered, responses and the response rate, by group and in total. A rate that
 * would be over 100% is "not available", footnoted with why, and a warning under the table
 * says which groups' delivered counts cover fewer people than responded.
 */
function overviewSection(report: ReportContext): string {
  const rates = [...report.document.responseRates.groups, report.document.responseRates.total];
  const table = htmlTable(
    "Table 6: survey links delivered, responses and response rate by group",
    ["Group", "Survey link successfully delivered to", "Responses received (child and family only)", "Additional responses (both services)", "Response rate"],
    rates.map((r) => [escapeHtml(r.label), escapeHtml(r.delivered), ...splitOf(r).map(escapeHtml), rateCell(report, r)]),
  );
  const notSplit = report.document.responseRates.groups.filter((r) => r.notSplit > 0);
  const unsplit = notSplit.length === 0 ? "" : `<p class="small">${escapeHtml(notSplit.map((r) => r.label).join(", "))}: the export has no service-area question, so ${notSplit.length === 1 ? "its" : "their"} ${notSplit.reduce((n, r) => n + r.notSplit, 0)} responses are counted in the response rate without the child and family / both split (“not asked”).</p>`;
  const unavailable = report.document.responseRates.groups.filter((r) => r.notAvailable !== null);
  const warning =
    unavailable.length === 0
      ? ""
      : `<p class="banner" role="status">Response rate not available for ${escapeHtml(unavailable.map((r) => r.label).join(", "))}: the recipient list (or the cycle file's delivered count) covers fewer people than responded, so the rate would be over 100%. It is published once the complete list or a corrected count is loaded and the results are computed again.</p>`;
  return `<section id="table-6"><h2>Annual survey overview</h2>${table}${unsplit}${warning}</section>`;
}

/** A response rate as a table cell: its percentage, or "not available" footnoted with why. */
function rateCell(report: ReportContext, rate: ResponseRate): string {
  if (rate.percentage !== null) return `${rate.percentage}%`;
  const note = report.footnotes.add(`${escapeHtml(rate.label)}: response rate not available: ${escapeHtml(rate.notAvailable ?? "")}.`);
  return `not available<sup><a href="#fn-${note}">${note}</a></sup>`;
}

/** While the survey is open only counts are shown: when the answers will be. */
function notYetPublishedSection(document: ResultsDocument): string {
  return `<section><p>Answers are published once the survey has closed on ${formatLongDate(document.cycle.closes)}.</p></section>`;
}

/** A ranked question: its challenges in rank order for all groups and each group, with the change in rank since last year. */
function rankingSection(report: ReportContext, ranking: RankingResult): string {
  const previousTitle = report.document.cycle.previousCycleTitle ?? report.document.cycle.previousCycleId;
  const parts = ranking.scopes.map((scope) => {
    const name = scope.scope === "all" ? "all groups" : report.groupLabel(scope.scope);
    if (scope.respondents.suppressed) return `<p>${name}: ${report.tooFewMark()}</p>`;
    return htmlTable(
      `${escapeHtml(ranking.text)} (${name}; ${scope.respondents.base} respondents who answered)`,
      ["Rank", "Challenge", "%", previousTitle ? `Change since ${escapeHtml(previousTitle)}` : "Change"],
      scope.options.map((option) => [escapeHtml(option.rank), escapeHtml(option.label), `${option.percentage}%`, rankChange(option.rankChange, option.previousRank)]),
      "ranking",
      [1],
    );
  });
  return `<section id="ranking-${escapeHtml(ranking.id)}"><h2>Ranked: ${escapeHtml(ranking.text)}</h2>${parts.join("")}</section>`;
}

/** An open question's coded answers: mentions by theme for all groups and each group, and a note on how they were coded. */
function openTextSection(report: ReportContext, question: OpenTextResult): string {
  const parts = question.scopes.map((scope) => {
    const name = scope.scope === "all" ? "all groups" : report.groupLabel(scope.scope);
    if (scope.respondents.suppressed) return `<p>${name}: ${report.mark(scope.respondents)}</p>`;
    return htmlTable(
      `${escapeHtml(question.text)} (${name}; ${scope.respondents.base} respondents who wrote an answer): mentions by theme`,
      ["Rank", "Theme", "Mentions", "% of respondents"],
      scope.codes.map((code) => [escapeHtml(code.rank), escapeHtml(code.label), escapeHtml(code.n), `${code.percentage}%`]),
      "ranking",
      [1],
    );
  });
  // Said under the heading, not as a note marker in it: a heading's words are its bookmark and its contents entry.
  const how = `Answers coded by ${escapeHtml(question.codedBy)}${question.answersCodedByFile ? ` (${question.answersCodedByFile} ${question.answersCodedByFile === 1 ? "answer" : "answers"})` : ""}; an answer may mention several themes. The answers themselves are never stored or shown.`;
  return `<section id="open-text-${escapeHtml(question.id)}"><h2>Coded answers: ${escapeHtml(question.text)}</h2><p class="small">${how}</p>${parts.join("")}</section>`;
}

/** An item set: the average per group, the % positive of each item by group, and its figures. */
function itemSetSection(report: ReportContext, set: ItemSetResult): string {
  const members = set.items.map((id) => report.item(id)!).filter(Boolean);
  const groups = set.groups.map((g) => g.group);
  const table = htmlTable(
    `${escapeHtml(set.title)}: % positive by group`,
    ["Item", ...groups.map((g) => report.groupLabel(g))],
    members.map((item) => [itemLabel(item, report.comparisonsOf(item.id), report.footnotes), ...groups.map((g) => {
      const result = item.groups.find((r) => r.group === g);
      return result ? report.cell(result.share) : "—";
    })]),
  );
  return `<section id="set-${escapeHtml(set.id)}"><h2>${escapeHtml(set.title)}</h2><p class="average">Average across the types shown: ${itemSetAverages(report, set)}.</p>${table}${itemFigures(report, members, set.title, groups)}</section>`;
}

/** Each group's average over an item set, naming the items left out of it as too small. */
function itemSetAverages(report: ReportContext, set: ItemSetResult): string {
  return set.groups
    .map((g) => `${report.groupLabel(g.group)}: ${g.average.suppressed ? "not shown" : `${g.average.percentage}%`}${g.itemsLeftOut.length ? ` (left out as n&lt;${report.threshold}: ${g.itemsLeftOut.map((l) => escapeHtml(report.itemText(l.item))).join("; ")})` : ""}`)
    .join("; ");
}

/** The items in no item set. */
function itemsOutsideSets(document: ResultsDocument): ItemResult[] {
  const inSets = new Set(document.itemSets.flatMap((set) => set.items));
  return document.items.filter((item) => !inSets.has(item.id));
}

/** Results by item: every item in no set, each with its table and figures. */
function otherItemsSection(report: ReportContext, others: ItemResult[]): string {
  const blocks = others.map((item) => `<div class="item">${itemAnswersTable(report, item)}${itemFigures(report, [item], item.text)}</div>`);
  return `<section id="items"><h2>Results by item</h2>${weightingNote(report)}${blocks.join("\n")}</section>`;
}

/**
 * What the weighted figures are, said once above the items: which groups are weighted to what,
 * and what weighting does and does not correct. Empty when no group is weighted.
 */
function weightingNote(report: ReportContext): string {
  const weighted = report.document.weighting.filter((w) => w.error === null);
  if (weighted.length === 0) return "";
  const who = weighted.map((w) => `${escapeHtml(report.groupLabel(w.group))}' figures (by ${w.margins.map((m) => escapeHtml(m.replace(/-/g, " "))).join(" and ")})`).join("; ");
  return `<p>Weighted figures: ${who} are also given weighted to the population, beside the unweighted figures. Weighting corrects for who answered on those characteristics only, not for anything else that sets respondents apart from those who did not answer; a weighted figure is less precise than its base suggests (its 95% interval says how much). Figures are shown or withheld by the unweighted base.</p>`;
}

/** A group's weighted % positive and its 95% interval as two cells ("—" where the group is not weighted or its share is withheld). */
function weightedCells(g: ItemResult["groups"][number]): string[] {
  const w = g.weighted;
  if (!w) return ["—", "—"];
  return [`${w.percentage}%`, `${Math.round(100 * w.interval95.lower)}–${Math.round(100 * w.interval95.upper)}%`];
}

/** One item by group: every answer's share of the base as well as the positive share (what the charts draw), and the base. */
function itemAnswersTable(report: ReportContext, item: ItemResult): string {
  const answers = likertCategories(item).categories.filter((label) => !item.excludedFromBase.includes(label));
  const weighted = report.document.weighting.some((w) => w.error === null);
  return htmlTable(
    `${itemLabel(item, report.comparisonsOf(item.id), report.footnotes)}: % of valid answers (% positive = ${escapeHtml(item.positiveLabels.join(" or ").toLowerCase())})`,
    ["Group", ...answers.map(escapeHtml), "% positive", "Base (n)", ...(weighted ? ["% positive, weighted", "Weighted 95% interval"] : [])],
    item.groups.map((g) => [
      report.groupLabel(g.group),
      ...answers.map((label) => {
        if (g.share.suppressed || !g.categories) return "—";
        const category = g.categories.find((c) => c.label === label);
        return `${Math.round((100 * (category?.n ?? 0)) / g.share.base)}%`;
      }),
      report.cell(g.share),
      g.share.suppressed ? "—" : escapeHtml(g.share.base),
      ...(weighted ? weightedCells(g) : []),
    ]),
  );
}

/** Results by subgroup: for each breakdown, the % positive of its items by subgroup, as a table and a figure. */
function subgroupSection(report: ReportContext, breakdowns: SubgroupBreakdown[]): string {
  const blocks = breakdowns.map((b) => {
    const title = `${b.label} (${report.groupLabel(b.group)}): % positive by subgroup`;
    const table = htmlTable(
      escapeHtml(title),
      ["Item", ...b.subgroups.map((s) => escapeHtml(s.label))],
      b.items.map((row) => [escapeHtml(report.itemText(row.item)), ...row.subgroups.map((s) => report.cell(s.share))]),
    );
    const left = b.notBrokenDown.map((n) => `<li>${escapeHtml(report.itemText(n.item))}: ${escapeHtml(n.why)}.</li>`).join("");
    const leftOut = left === "" ? "" : `<p class="small">Not broken down:</p><ul class="small">${left}</ul>`;
    return `<div class="breakdown" id="by-${escapeHtml(b.variable)}-${escapeHtml(b.group)}">${table}${leftOut}${subgroupFigure(report, b, title)}</div>`;
  });
  return `<section id="subgroups"><h2>Results by subgroup</h2>${blocks.join("\n")}</section>`;
}

/** Every item asked in both years: last year's and this year's % positive and the change, significant changes starred. */
function yearOnYearSection(report: ReportContext, y: YearOnYear): string {
  const { document } = report;
  const changeNote = report.footnotes.add(
    `Change: this year's % positive minus last year's, in points, from the unrounded shares (so it can differ by 1 from the rounded figures). * marks a significant change: Fisher's exact or the chi-square test on the two years' answers, p adjusted (${escapeHtml(y.adjustment)}) within each item set (the items in no set together), below ${document.significanceLevel}. This year's threshold (n<${document.suppressionThreshold}) applies to both years.`,
  );
  const rows = y.rows.map((r) => [
    escapeHtml(report.itemText(r.item)),
    report.groupLabel(r.group),
    report.cell(r.previous),
    report.cell(r.current),
    r.changePoints === null ? "—" : `${r.changePoints > 0 ? "+" : ""}${r.changePoints}${r.significant ? "*" : ""}`,
  ]);
  return `<section id="year-on-year"><h2>Change since ${escapeHtml(y.previousTitle)}</h2>${htmlTable(
    `Every item asked in both years: % positive in ${escapeHtml(y.previousTitle)} and ${escapeHtml(document.cycle.title)}<sup><a href="#fn-${changeNote}">${changeNote}</a></sup>`,
    ["Item", "Group", escapeHtml(y.previousTitle), escapeHtml(document.cycle.title), "Change (points)"],
    rows,
    "year-on-year",
    [1],
  )}</section>`;
}

/** Significance tests: each comparison's shares, and each pair's test and adjusted p (or why it was not tested). */
function comparisonsSection(report: ReportContext, comparisons: ComparisonResult[]): string {
  const tested = comparisons.filter((c) => c.pairs.length > 0);
  const rows = comparisons.map((c) => [
    escapeHtml(c.title),
    c.samples.map((s) => `${escapeHtml(s.label)} ${report.cell(s.share)}`).join(" vs "),
    c.notTested ? escapeHtml(c.notTested) : c.pairs.map((p) => `${escapeHtml(sampleLabel(c, p.a))} vs ${escapeHtml(sampleLabel(c, p.b))}: ${testName(p.test)}, adjusted p ${formatP(p.adjustedP)}${p.significant ? " <strong>(significant)</strong>" : ""}`).join("<br>"),
  ]);
  return `<section id="comparisons"><h2>Significance tests</h2><p>${tested.length} of ${comparisons.length} comparisons tested; significant means the adjusted p is below ${report.document.significanceLevel}.</p>${htmlTable("Comparisons, tests and adjusted p-values", ["Comparison", "Shares", "Test"], rows, "comparisons", [1, 2])}</section>`;
}

/** The whole page: header (with the provisional banner while the survey is open), contents, the sections, and the notes. */
function reportPage(report: ReportContext, sections: string[]): string {
  const { document } = report;
  const banner = document.status === "provisional"
    ? `<p class="banner" role="status">Provisional: the survey is open until ${formatLongDate(document.cycle.closes)}; only response counts are shown.</p>`
    : "";
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.cycle.title)}: results</title>
<style>${reportStyles}</style>
</head>
<body>
<header><h1>${escapeHtml(document.cycle.title)}</h1>
<p class="meta">Results ${escapeHtml(document.status)}; computed ${formatDateTime(document.provenance.computedAt, document.cycle.timezone)} from ${document.provenance.uploads.length} uploads (code ${escapeHtml(document.provenance.codeVersion)}).</p>${banner}</header>
${contents(sections, report.figures.list)}
<main>
${sections.join("\n")}
</main>
<footer><h2 id="notes">Notes</h2>${report.footnotes.html()}</footer>
</body>
</html>
`;
}

/**
 * The table of contents (each section) and the index of figures, each entry a link and, in print,
 * the page it is on (filled in from a first print: `data-page-of`). In print the contents have
 * the first page and the figure index the next, which says at its foot if it runs over.
 */
function contents(sections: string[], figures: { id: string; title: string }[]): string {
  const entries = sections.flatMap((section) => {
    const match = /^<section id="([^"]+)"><h2>(.*?)<\/h2>/.exec(section);
    // The heading's words only: a note's link inside the entry's would be a link in a link.
    return match ? [contentsEntry(match[1]!, match[2]!.replace(/<sup>.*?<\/sup>/g, ""))] : [];
  });
  // The titles carry their numbers ("Figure 1: …"), so the list shows no numbers of its own.
  const index = figures.map((f) => contentsEntry(f.id, escapeHtml(f.title))).join("");
  const figureIndex = figures.length ? `<div class="figure-index"><h2>Figures</h2><ol class="figures" data-continues="The list of figures continues on the next page.">${index}</ol></div>` : "";
  return `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${entries.join("")}${contentsEntry("notes", "Notes")}</ol>${figureIndex}</nav>`;
}

/** One entry of the contents or the figure index: its link, and the page it is on once printed. */
function contentsEntry(id: string, html: string): string {
  return `<li><a href="#${id}">${html}</a> <span class="page" data-page-of="${id}"></span></li>`;
}

function itemLabel(item: ItemResult, comparisons: ComparisonResult[], footnotes: Footnotes): string {
  const marks = comparisons.flatMap((comparison) =>
    comparison.pairs
      .filter((pair) => pair.significant)
      .map((pair) => {
        const n = footnotes.add(
          `${escapeHtml(comparison.title)}: ${escapeHtml(sampleLabel(comparison, pair.a))} vs ${escapeHtml(sampleLabel(comparison, pair.b))} (${escapeHtml(comparison.measure)}) differ significantly; ${testName(pair.test)}, adjusted p ${formatP(pair.adjustedP)} (${escapeHtml(comparison.adjustment)}).`,
        );
        return `<sup><a href="#fn-${n}" aria-label="significant difference, note ${n}">†${n}</a></sup>`;
      }),
  );
  return `${escapeHtml(item.text)}${marks.join("")}`;
}

/** A change of rank in words (up 3, was 4), with an arrow for the eye that screen readers skip. */
function rankChange(change: number | null, previous: number | null): string {
  if (change === null) return "new this year";
  if (change === 0) return `same (was ${previous})`;
  const direction = change > 0 ? "up" : "down";
  // The arrow is drawn, not a glyph: Lambda's Chromium has no font with ▲▼ in it.
  const arrow = change > 0 ? "5,1 9,9 1,9" : "1,1 9,1 5,9";
  return `<span class="${direction}"><svg class="arrow" viewBox="0 0 10 10" width="0.7em" height="0.7em" aria-hidden="true"><polygon points="${arrow}" fill="currentColor"/></svg> ${direction} ${Math.abs(change)} (was ${previous})</span>`;
}

/** A compared sample's label (group, subgroup or cycle title) for its id. */
function sampleLabel(comparison: ComparisonResult, id: string): string {
  return comparison.samples.find((sample) => sample.id === id)?.label ?? id;
}

function testName(test: string): string {
  return test === "fisher-exact" ? "Fisher's exact test" : test === "chi-square" ? "chi-square test" : "Mann-Whitney U test";
}

function formatP(p: number): string {
  return p < 0.001 ? "&lt; 0.001" : p.toFixed(3);
}
