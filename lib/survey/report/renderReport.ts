import type { ComparisonResult, ItemResult, ResultsDocument, Share } from "../results/resultsSchema.ts";
import { escapeHtml, htmlTable } from "../../report/html.ts";
import { reportStyles } from "../../report/reportStyles.ts";
import { divergingBarChart, positiveBarChart } from "../../report/barCharts.ts";
import { categoryMeanings } from "../../report/palette.ts";

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

/** One figure of the report: its number, title, SVG and the data it draws (for its CSV). */
export interface ReportFigure {
  id: string;
  title: string;
  svg: string;
  columns: string[];
  rows: (string | number)[][];
}

/**
 * The report and its figures. With `pngFigures`, each figure's caption also links a PNG
 * (compute writes PNGs only where it has Chromium).
 */
export function buildReport(document: ResultsDocument, options: { pngFigures?: boolean } = {}): { html: string; figures: ReportFigure[] } {
  const threshold = document.suppressionThreshold;
  const labels = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
  const groupLabel = (group: string) => escapeHtml(labels.get(group) ?? group);
  const footnotes = new Footnotes();
  const suppressedNote = footnotes.add(`n&lt;${threshold}: fewer than ${threshold} answers, so the figure is not shown (nor anything that would reveal it).`);
  const mark = (share: Share & { suppressed: true }) => {
    if (share.reason !== "complementary") return `n&lt;${threshold}<sup><a href="#fn-${suppressedNote}">${suppressedNote}</a></sup>`;
    const note = footnotes.add("hidden: shown, this figure and the ones beside it would let a figure under the threshold be worked out by subtraction.");
    return `hidden<sup><a href="#fn-${note}">${note}</a></sup>`;
  };
  const cell = (share: Share) => (share.suppressed ? mark(share) : `${share.percentage}%`);
  const previousTitle = document.cycle.previousCycleTitle ?? document.cycle.previousCycleId;
  const comparisonsOf = (item: string) => document.comparisons.filter((c) => c.item === item && c.kind === "groups");
  const figures: ReportFigure[] = [];
  const figure = (title: string, chart: string, data: { columns: string[]; rows: (string | number)[][] }) => {
    if (chart === "") return "";
    const id = `figure-${figures.length + 1}`;
    figures.push({ id, title: `Figure ${figures.length + 1}: ${title}`, svg: chart, ...data });
    const formats = ["svg", ...(options.pngFigures ? ["png"] : []), "csv"];
    const downloads = formats.map((f) => `<a href="figures/${id}.${f}" download>${f.toUpperCase()}</a>`).join(" · ");
    return `<figure id="${id}">${chart}<figcaption><strong>Figure ${figures.length}:</strong> ${escapeHtml(title)} (the table gives the figures) <span class="downloads">Download: ${downloads}</span></figcaption></figure>`;
  };
  const charts = (items: ItemResult[], title: string, only?: string[]) => {
    const name = (g: string) => labels.get(g) ?? g;
    const heading = items.length > 1;
    const positive = positiveBarChart(
      title,
      items.map((item) => ({
        ...(heading ? { heading: item.text } : {}),
        bars: item.groups.filter((g) => only === undefined || only.includes(g.group)).map((g) => ({
          label: name(g.group),
          percentage: g.share.suppressed ? null : g.share.percentage,
          ...(g.share.suppressed ? { withheld: withheldOf(g.share) } : {}),
        })),
      })),
      threshold,
    );
    const shown = (item: ItemResult) => item.groups.filter((g) => only === undefined || only.includes(g.group));
    const positiveData = {
      columns: ["Item", "Group", "% positive"],
      rows: items.flatMap((item) => shown(item).map((g) => [item.text, name(g.group), g.share.suppressed ? "[c]" : g.share.percentage])),
    };
    const parts = [figure(`${title}: % ${items[0]!.positiveLabels.join(" or ").toLowerCase()}, by group`, positive, positiveData)];
    const likert = items.filter((item) => likertCategories(item).inBase >= 3);
    if (likert.length > 0) {
      const { categories } = likertCategories(likert[0]!);
      const meanings = categoryMeanings(categories, likert[0]!.positiveLabels, likert[0]!.excludedFromBase);
      const diverging = divergingBarChart(
        title,
        categories,
        meanings,
        likert.map((item) => ({
          ...(heading ? { heading: item.text } : {}),
          bars: item.groups.filter((g) => only === undefined || only.includes(g.group)).map((g) => {
            if (g.share.suppressed || !g.categories) return { label: name(g.group), shares: null, excluded: null, withheld: withheldOf(g.share) };
            const base = g.share.base;
            const excludedN = g.categories.filter((c) => !c.inBase).reduce((sum, c) => sum + c.n, 0);
            return {
              label: name(g.group),
              shares: g.categories.filter((c) => c.inBase).map((c) => c.n / base),
              excluded: base + excludedN > 0 ? excludedN / (base + excludedN) : 0,
            };
          }),
        })),
        threshold,
      );
      const inBase = categories.filter((_, k) => meanings[k] !== "excluded");
      const divergingData = {
        columns: ["Item", "Group", ...inBase.map((c) => `% ${c}`), "% outside the base"],
        rows: likert.flatMap((item) =>
          shown(item).map((g) => {
            if (g.share.suppressed || !g.categories) return [item.text, name(g.group), ...inBase.map(() => "[c]"), "[c]"];
            const base = g.share.base;
            const outside = g.categories.filter((c) => !c.inBase).reduce((sum, c) => sum + c.n, 0);
            return [item.text, name(g.group), ...g.categories.filter((c) => c.inBase).map((c) => round1((100 * c.n) / base)), round1((100 * outside) / (base + outside))];
          }),
        ),
      };
      parts.push(figure(`${title}: every answer, by group`, diverging, divergingData));
    }
    return parts.join("");
  };
  const sections: string[] = [];
  sections.push(`<section id="table-6"><h2>Annual survey overview</h2>${htmlTable(
    "Table 6: survey links delivered, responses and response rate by group",
    ["Group", "Survey link successfully delivered to", "Responses received (child and family only)", "Additional responses (both services)", "Response rate"],
    [...document.responseRates.groups, document.responseRates.total].map((r) => [
      escapeHtml(r.label),
      escapeHtml(r.delivered),
      escapeHtml(r.childAndFamilyOnly),
      escapeHtml(r.both),
      `${r.percentage}%`,
    ]),
  )}</section>`);

  if (!document.answersPublished) {
    sections.push(`<section><p>Answers are published once the survey has closed on ${longDate(document.cycle.closes)}.</p></section>`);
  }

  for (const ranking of document.rankings) {
    const parts = ranking.scopes.map((scope) => {
      const name = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
      if (scope.respondents.suppressed) return `<p>${name}: n&lt;${threshold}<sup><a href="#fn-${suppressedNote}">${suppressedNote}</a></sup></p>`;
      return htmlTable(
        `${escapeHtml(ranking.text)} (${name}; ${scope.respondents.base} respondents who answered)`,
        ["Rank", "Challenge", "%", previousTitle ? `Change since ${escapeHtml(previousTitle)}` : "Change"],
        scope.options.map((option) => [escapeHtml(option.rank), escapeHtml(option.label), `${option.percentage}%`, rankChange(option.rankChange, option.previousRank)]),
        "ranking",
        [1],
      );
    });
    sections.push(`<section id="ranking-${escapeHtml(ranking.id)}"><h2>Ranked: ${escapeHtml(ranking.text)}</h2>${parts.join("")}</section>`);
  }

  for (const question of document.openText) {
    const parts = question.scopes.map((scope) => {
      const name = scope.scope === "all" ? "all groups" : groupLabel(scope.scope);
      if (scope.respondents.suppressed) return `<p>${name}: ${mark(scope.respondents)}</p>`;
      return htmlTable(
        `${escapeHtml(question.text)} (${name}; ${scope.respondents.base} respondents who wrote an answer): mentions by theme`,
        ["Rank", "Theme", "Mentions", "% of respondents"],
        scope.codes.map((code) => [escapeHtml(code.rank), escapeHtml(code.label), escapeHtml(code.n), `${code.percentage}%`]),
        "ranking",
        [1],
      );
    });
    const how = footnotes.add(`Answers coded by ${escapeHtml(question.codedBy)}${question.answersCodedByFile ? ` (${question.answersCodedByFile} answers)` : ""}; an answer may mention several themes. The answers themselves are never stored or shown.`);
    sections.push(`<section id="open-text-${escapeHtml(question.id)}"><h2>Coded answers: ${escapeHtml(question.text)}<sup><a href="#fn-${how}">${how}</a></sup></h2>${parts.join("")}</section>`);
  }

  const inSets = new Set(document.itemSets.flatMap((set) => set.items));
  const itemsById = new Map(document.items.map((item) => [item.id, item]));
  for (const set of document.itemSets) {
    const members = set.items.map((id) => itemsById.get(id)!).filter(Boolean);
    const groups = set.groups.map((g) => g.group);
    const averages = set.groups
      .map((g) => `${groupLabel(g.group)}: ${g.average.suppressed ? "not shown" : `${g.average.percentage}%`}${g.itemsLeftOut.length ? ` (left out as n&lt;${threshold}: ${g.itemsLeftOut.map((l) => escapeHtml(itemsById.get(l.item)?.text ?? l.item)).join("; ")})` : ""}`)
      .join("; ");
    const table = htmlTable(
      `${escapeHtml(set.title)}: % positive by group`,
      ["Item", ...groups.map(groupLabel)],
      members.map((item) => [itemLabel(item, comparisonsOf(item.id), footnotes), ...groups.map((g) => {
        const result = item.groups.find((r) => r.group === g);
        return result ? cell(result.share) : "—";
      })]),
    );
    sections.push(`<section id="set-${escapeHtml(set.id)}"><h2>${escapeHtml(set.title)}</h2><p class="average">Average across the types shown: ${averages}.</p>${table}${charts(members, set.title, groups)}</section>`);
  }

  const others = document.items.filter((item) => !inSets.has(item.id));
  if (others.length > 0) {
    const blocks = others.map((item) => {
      // Every answer's share of the base as well as the positive share: what the charts draw.
      const answers = likertCategories(item).categories.filter((label) => !item.excludedFromBase.includes(label));
      const table = htmlTable(
        `${itemLabel(item, comparisonsOf(item.id), footnotes)}: % of valid answers (% positive = ${escapeHtml(item.positiveLabels.join(" or ").toLowerCase())})`,
        ["Group", ...answers.map(escapeHtml), "% positive", "Base (n)"],
        item.groups.map((g) => [
          groupLabel(g.group),
          ...answers.map((label) => {
            if (g.share.suppressed || !g.categories) return "—";
            const category = g.categories.find((c) => c.label === label);
            return `${Math.round((100 * (category?.n ?? 0)) / g.share.base)}%`;
          }),
          cell(g.share),
          g.share.suppressed ? "—" : escapeHtml(g.share.base),
        ]),
      );
      return `<div class="item">${table}${charts([item], item.text)}</div>`;
    });
    sections.push(`<section id="items"><h2>Results by item</h2>${blocks.join("\n")}</section>`);
  }

  if (document.subgroupBreakdowns.length > 0) {
    const text = new Map(document.items.map((item) => [item.id, item.text]));
    const blocks = document.subgroupBreakdowns.map((b) => {
      const title = `${b.label} (${groupLabel(b.group)}): % positive by subgroup`;
      const subgroupLabel = new Map(b.subgroups.map((s) => [s.id, s.label]));
      const table = htmlTable(
        escapeHtml(title),
        ["Item", ...b.subgroups.map((s) => escapeHtml(s.label))],
        b.items.map((row) => [escapeHtml(text.get(row.item) ?? row.item), ...row.subgroups.map((s) => cell(s.share))]),
      );
      const chart = positiveBarChart(
        title,
        b.items.map((row) => ({
          heading: text.get(row.item) ?? row.item,
          bars: row.subgroups.map((s) => ({
            label: subgroupLabel.get(s.subgroup) ?? s.subgroup,
            percentage: s.share.suppressed ? null : s.share.percentage,
            ...(s.share.suppressed ? { withheld: withheldOf(s.share) } : {}),
          })),
        })),
        threshold,
      );
      const data = {
        columns: ["Item", "Subgroup", "% positive"],
        rows: b.items.flatMap((row) => row.subgroups.map((s) => [text.get(row.item) ?? row.item, subgroupLabel.get(s.subgroup) ?? s.subgroup, s.share.suppressed ? "[c]" : s.share.percentage])),
      };
      return `<div class="breakdown" id="by-${escapeHtml(b.variable)}-${escapeHtml(b.group)}">${table}${figure(title, chart, data)}</div>`;
    });
    sections.push(`<section id="subgroups"><h2>Results by subgroup</h2>${blocks.join("\n")}</section>`);
  }

  if (document.yearOnYear && document.yearOnYear.rows.length > 0) {
    const y = document.yearOnYear;
    const changeNote = footnotes.add(
      `Change: this year's % positive minus last year's, in points. * marks a significant change: Fisher's exact or the chi-square test on the two years' answers, p adjusted (${escapeHtml(y.adjustment)}) across all ${y.rows.filter((r) => r.p !== null).length} items and groups compared, below ${document.significanceLevel}.`,
    );
    const text = new Map(document.items.map((item) => [item.id, item.text]));
    const rows = y.rows.map((r) => [
      escapeHtml(text.get(r.item) ?? r.item),
      groupLabel(r.group),
      cell(r.previous),
      cell(r.current),
      r.changePoints === null ? "—" : `${r.changePoints > 0 ? "+" : ""}${r.changePoints}${r.significant ? "*" : ""}`,
    ]);
    sections.push(`<section id="year-on-year"><h2>Change since ${escapeHtml(y.previousTitle)}</h2>${htmlTable(
      `Every item asked in both years: % positive in ${escapeHtml(y.previousTitle)} and ${escapeHtml(document.cycle.title)}<sup><a href="#fn-${changeNote}">${changeNote}</a></sup>`,
      ["Item", "Group", escapeHtml(y.previousTitle), escapeHtml(document.cycle.title), "Change (points)"],
      rows,
      "year-on-year",
      [1],
    )}</section>`);
  }

  const tested = document.comparisons.filter((c) => c.pairs.length > 0);
  if (document.comparisons.length > 0) {
    const rows = document.comparisons.map((c) => [
      escapeHtml(c.title),
      c.samples.map((s) => `${escapeHtml(s.label)} ${cell(s.share)}`).join(" vs "),
      c.notTested ? escapeHtml(c.notTested) : c.pairs.map((p) => `${escapeHtml(sampleLabel(c, p.a))} vs ${escapeHtml(sampleLabel(c, p.b))}: ${testName(p.test)}, adjusted p ${formatP(p.adjustedP)}${p.significant ? " <strong>(significant)</strong>" : ""}`).join("<br>"),
    ]);
    sections.push(`<section id="comparisons"><h2>Significance tests</h2><p>${tested.length} of ${document.comparisons.length} comparisons tested; significant means the adjusted p is below ${document.significanceLevel}.</p>${htmlTable("Comparisons, tests and adjusted p-values", ["Comparison", "Shares", "Test"], rows, "comparisons", [1, 2])}</section>`);
  }

  const banner = document.status === "provisional"
    ? `<p class="banner" role="status">Provisional: the survey is open until ${longDate(document.cycle.closes)}; only response counts are shown.</p>`
    : "";
  const html = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.cycle.title)}: results</title>
<style>${reportStyles}</style>
</head>
<body>
<header><h1>${escapeHtml(document.cycle.title)}</h1>
<p class="meta">Results ${escapeHtml(document.status)}; computed ${localDateTime(document.provenance.computedAt, document.cycle.timezone)} from ${document.provenance.uploads.length} uploads (code ${escapeHtml(document.provenance.codeVersion)}).</p>${banner}</header>
${contents(sections, figures)}
<main>
${sections.join("\n")}
</main>
<footer><h2 id="notes">Notes</h2>${footnotes.html()}</footer>
</body>
</html>
`;
  return { html, figures };
}

/** The table of contents (each section) and the index of figures, linked; in print, on a page of its own. */
function contents(sections: string[], figures: { id: string; title: string }[]): string {
  const entries = sections.flatMap((section) => {
    const match = /^<section id="([^"]+)"><h2>(.*?)<\/h2>/.exec(section);
    return match ? [`<li><a href="#${match[1]}">${match[2]}</a></li>`] : [];
  });
  const index = figures.map((f) => `<li><a href="#${f.id}">${escapeHtml(f.title)}</a></li>`).join("");
  return `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${entries.join("")}<li><a href="#notes">Notes</a></li></ol>${figures.length ? `<h2>Figures</h2><ol class="figures">${index}</ol>` : ""}</nav>`;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A figure's withheld mark: too few answers, or hidden to protect another figure. */
function withheldOf(share: Share): "n<30" | "hidden" {
  return share.suppressed && share.reason === "complementary" ? "hidden" : "n<30";
}

/** An item's categories (from any shown group) and how many are in the base. */
function likertCategories(item: ItemResult): { categories: string[]; inBase: number } {
  const shown = item.groups.find((g) => g.categories !== null)?.categories ?? [];
  return { categories: shown.map((c) => c.label), inBase: shown.filter((c) => c.inBase).length };
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

function rankChange(change: number | null, previous: number | null): string {
  if (change === null) return `<span aria-label="new this year">new</span>`;
  if (change === 0) return `<span aria-label="same rank as last year (${previous})">= (${previous})</span>`;
  const direction = change > 0 ? "up" : "down";
  // The arrow is drawn, not a glyph: Lambda's Chromium has no font with ▲▼ in it.
  const arrow = change > 0 ? "5,1 9,9 1,9" : "1,1 9,1 5,9";
  return `<span class="${direction}" aria-label="${direction} ${Math.abs(change)} from ${previous}"><svg class="arrow" viewBox="0 0 10 10" width="0.7em" height="0.7em" aria-hidden="true"><polygon points="${arrow}" fill="currentColor"/></svg> ${Math.abs(change)} (was ${previous})</span>`;
}

/** A compared sample's label (group, subgroup or cycle title) for its id. */
function sampleLabel(comparison: ComparisonResult, id: string): string {
  return comparison.samples.find((sample) => sample.id === id)?.label ?? id;
}

/** `2025-02-21` as people write it: 21 February 2025. */
function longDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** An instant in the cycle's time zone: 1 March 2025, 10:15 GMT. */
function localDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }).format(new Date(iso));
}

function testName(test: string): string {
  return test === "fisher-exact" ? "Fisher's exact test" : test === "chi-square" ? "chi-square test" : "Mann-Whitney U test";
}

function formatP(p: number): string {
  return p < 0.001 ? "&lt; 0.001" : p.toFixed(3);
}

/** Numbered notes, each added once. */
class Footnotes {
  private readonly notes: string[] = [];
  add(html: string): number {
    const existing = this.notes.indexOf(html);
    if (existing >= 0) return existing + 1;
    this.notes.push(html);
    return this.notes.length;
  }
  html(): string {
    return `<ol class="notes">${this.notes.map((note, i) => `<li id="fn-${i + 1}">${note}</li>`).join("")}</ol>`;
  }
}
