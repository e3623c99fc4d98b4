import type { PublishedTable } from "../publication/publishedTable.ts";
import { escapeHtml, htmlTable } from "../report/html.ts";
import { reportStyles } from "../report/reportStyles.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults, NationalStatement } from "./evaluationResultsSchema.ts";
import { formatDateTime } from "../time/formatDateTime.ts";
import { shortTitle } from "./nationalTables.ts";

/**
 * RAG cells: a tint and a border pattern per band, and always the band's name, so a band is
 * never told by colour alone (greyscale prints and colour-blind readers see the word).
 */
export const ragStyles = `
.rag { font-weight: bold; white-space: nowrap; } .rag::before { content: ""; display: inline-block; width: 0.7em; height: 0.7em; margin-right: 0.35em; vertical-align: baseline; }
.rag-red::before { background: #b3261e; border-radius: 0; } .rag-amber::before { background: #c77700; transform: rotate(45deg) scale(0.85); } .rag-green::before { background: #2e7d32; border-radius: 50%; }
.key { display: flex; gap: 1.5rem; flex-wrap: wrap; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
.lead { font-size: 1.05rem; } .small { font-size: 0.85rem; color: #4d4d4d; } .nowrap { white-space: nowrap; }
table.statements td:nth-child(2) { width: 45%; } table.statements.one-year td:nth-child(2) { width: 65%; } th.year { text-align: center; border-bottom: 1px solid #00545c; }
table.regions th, table.regions td { padding: 0.15rem 0.4rem; }
@media print { table.statements, table.regions { font-size: 8.5pt; } table.statements th, table.statements td { padding: 0.25rem; } }
`;

/**
 * Print rules that keep a heading with what follows and a table shorter than a page on one page.
 * A `.keep` block (a heading with what follows it up to its first table, or a table with its
 * notes) is never split when it fits a page: Chromium honours break-inside on a wrapper more
 * reliably than break-after on a heading. One longer than a page starts a page and is split
 * between rows, never inside one, and Chromium repeats the table's header row on each page (a
 * table inside a block has no avoid of its own: it would push the table off the heading's page).
 */
export const keepStyles = `
@media print { .keep, .table-wrap { break-inside: avoid; } .keep .table-wrap, .keep table { break-inside: auto; } tr { break-inside: avoid; } thead { display: table-header-group; } }
`;

/** A RAG cell: the marker shape and the band's name. */
export function ragCell(config: Pick<EvaluationConfig, "rag">, band: string | null): string {
  if (band === null) return "";
  const label = config.rag.find((b) => b.id === band)?.label ?? band;
  return `<span class="rag rag-${escapeHtml(band)}">${escapeHtml(label)}</span>`;
}

/** The RAG key: each band, its range and what it means. */
export function ragKey(config: Pick<EvaluationConfig, "rag" | "scale">): string {
  const ratings = new Map(config.scale.ratings.map((r) => [r.value, r.label]));
  const items = config.rag.map((band, i) => {
    const upper = config.rag[i + 1] ? (config.rag[i + 1]!.from - 0.1).toFixed(1) : Math.max(...ratings.keys()).toFixed(1);
    const meaning = [...ratings.entries()].filter(([value]) => value >= band.from && value <= Number(upper)).map(([value, label]) => `${value} = ${label}`).join(", ");
    return `<span>${ragCell(config, band.id)} ${band.from.toFixed(1)} to ${upper}${meaning ? ` (${escapeHtml(meaning)})` : ""}</span>`;
  });
  return `<div class="key" role="group" aria-label="RAG key">${items.join("")}</div>`;
}

/**
 * The national report of a 360 cycle: who is included, the RAG key, then per theme its summary
 * and its table (Appendix 4's Tables 1-4), and the regional averages. A 0.0 in a table comes
 * with a note beneath it saying what it is (no rating is 0). In print each heading is kept with
 * what follows and a table shorter than a page is kept on one ({@link keepStyles}).
 */
export function nationalReportHtml(config: EvaluationConfig, results: EvaluationResults, tables: readonly PublishedTable[]): string {
  const o = results.organisations;
  const cutOff = results.cycle.submittedBy ? ` up to ${formatDate(results.cycle.submittedBy)}` : "";
  const exports = results.provenance.uploads.length;
  const regions = tables.find((t) => t.id === "regions");
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(results.cycle.title)}: national results</title>
<style>${reportStyles}${ragStyles}${keepStyles}</style></head>
<body>
<h1>${escapeHtml(results.cycle.title)}: national results</h1>
<p class="meta">Computed ${escapeHtml(formatDateTime(results.provenance.computedAt, config.timezone))} from ${exports} ${exports === 1 ? "export" : "exports"}.</p>
<p class="lead">These are the composite results for the <strong>${o.included}</strong> organisations who had submitted their data${escapeHtml(cutOff)} and met the criteria for inclusion (a self-assessment and at least ${config.inclusion.minimumOtherRespondents} other respondents). A further ${o.withoutData} organisations registered but submitted no data, and ${o.excluded} submitted some data but did not meet the minimum criteria (${o.excludedBecause.noSelfAssessment} with no self-assessment, ${o.excludedBecause.tooFewOtherRespondents} with too few other respondents).${o.lateResponsesLeftOut > 0 ? ` ${o.lateResponsesLeftOut} ${o.lateResponsesLeftOut === 1 ? "response" : "responses"} arrived after the cut-off and ${o.lateResponsesLeftOut === 1 ? "is" : "are"} not counted.` : ""}</p>
<p>The national average of a statement is the mean of the included organisations' scores, each organisation counting once; min and max are the lowest and highest organisation scores. [x] marks a figure that is not available (for example last year's, when a statement is new). The results are coded:</p>
${ragKey(config)}
${config.themes.map((theme, index) => themeSection(config, results, tables[index]!, theme, index)).join("\n")}
${regions ? `<section id="regions" class="keep"><h2>Regions</h2>${htmlTable(escapeHtml(regions.title), regions.columns.map(escapeHtml), regions.rows.map((r) => r.map((c) => escapeHtml(c))), "regions")}</section>` : ""}
</body></html>
`;
}

/** One theme: its heading and summary (kept together and with the table), and its table with a note on any 0.0 in it. */
function themeSection(config: EvaluationConfig, results: EvaluationResults, table: PublishedTable, theme: EvaluationConfig["themes"][number], index: number): string {
  const summary = results.themes.find((t) => t.id === theme.id)!;
  const statements = results.statements.filter((s) => s.theme === theme.id);
  const rows = statements.map((s) => {
    const row = table.rows.find((r) => r[0] === s.number)!;
    return [String(s.number), escapeHtml(s.text), String(row[2]), String(row[3]), String(row[4]), ragCell(config, s.rag), String(row[6]), String(row[7]), String(row[8]), String(row[9])];
  });
  const note = zeroNote(nationalZeros(statements, results), results.rules.unrated === "zero" ? "this cycle" : "the tool");
  const lastYear = results.statements.some((s) => s.previous !== null) ? (results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "Last year") : undefined;
  const years = [shortTitle(results.cycle.title), lastYear] as const;
  // One block: on one page when it fits; when it does not, it starts a page and the table runs on, its header repeated.
  return `<section id="${escapeHtml(theme.id)}" class="keep"><h2>Evaluation criteria theme ${index + 1}: ${escapeHtml(theme.title)}</h2>
<p class="summary">${escapeHtml(summary.summary)}</p>
${statementsTable(table.title, years, rows)}${note}</section>`;
}

/**
 * A theme's table as the annual report lays it out: the year over its columns (national average,
 * min, max and, this year, RAG) in a first header row, so that the figures' headers are short
 * and the wording has room; last year's columns only when there are last year's figures. Cells
 * are HTML; the wording and RAG are text columns.
 */
function statementsTable(title: string, years: readonly [string, string | undefined], rows: readonly string[][]): string {
  const col = (text: string, numeric = true) => `<th scope="col"${numeric ? ' class="num"' : ""}>${text}</th>`;
  const [thisYear, lastYear] = years;
  // With no last year (a first cycle), its columns and the change would be [x] throughout: left out.
  const head = `<tr><th scope="col" rowspan="2">No.</th><th scope="col" rowspan="2">Statement</th><th scope="colgroup" colspan="4" class="year">${headerCell(thisYear)}</th>${lastYear === undefined ? "" : `<th scope="colgroup" colspan="3" class="year">${headerCell(lastYear)}</th><th scope="col" rowspan="2" class="num">Change in average</th>`}</tr>
<tr>${col("National average")}${col("Min")}${col("Max")}${col("RAG", false)}${lastYear === undefined ? "" : `${col("National average")}${col("Min")}${col("Max")}`}</tr>`;
  const cells = (row: readonly string[]) => (lastYear === undefined ? row.slice(0, 6) : row);
  const body = rows.map((row) => `<tr>${cells(row).map((cell, i) => (i === 0 ? `<th scope="row">${cell}</th>` : `<td${i === 1 || i === 5 ? "" : ' class="num"'}>${cell}</td>`)).join("")}</tr>`).join("\n");
  const groups = `<colgroup span="2"></colgroup><colgroup span="4"></colgroup>${lastYear === undefined ? "" : '<colgroup span="3"></colgroup><colgroup span="1"></colgroup>'}`;
  return `<div class="table-wrap" role="region" aria-label="${escapeHtml(title)}" tabindex="0"><table class="statements${lastYear === undefined ? " one-year" : ""}"><caption>${escapeHtml(title)}</caption>${groups}<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The 0.0s a theme's table shows, in words ("statement 8's 2023-24 minimum"): this year's and last year's. */
function nationalZeros(statements: readonly NationalStatement[], results: EvaluationResults): string[] {
  const thisYear = shortTitle(results.cycle.title);
  const lastYear = results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "last year's";
  return statements.flatMap((s) => {
    const figures: [number | null | undefined, string][] = [
      [s.nationalAverage, `${thisYear} national average`],
      [s.min, `${thisYear} minimum`],
      [s.max, `${thisYear} maximum`],
      [s.previous?.nationalAverage, `${lastYear} national average`],
      [s.previous?.min, `${lastYear} minimum`],
      [s.previous?.max, `${lastYear} maximum`],
    ];
    return figures.filter(([value]) => value === 0).map(([, what]) => `statement ${s.number}'s ${what}`);
  });
}

/**
 * The note the docs promise beside any 0.0 a report shows: no rating is 0 on the 1-5 scale, so
 * a 0 is an organisation none of whose respondents rated the statement, which the tool (or a
 * cycle that says `unrated: "zero"`, to reproduce a table as published) scored 0. Empty when
 * the report shows none.
 */
export function zeroNote(zeros: readonly string[], scoredBy: "this cycle" | "the tool"): string {
  if (zeros.length === 0) return "";
  const list = zeros.length === 1 ? zeros[0]! : `${zeros.slice(0, -1).join(", ")} and ${zeros.at(-1)!}`;
  const why =
    scoredBy === "this cycle"
      ? `this cycle scores such an organisation 0, as the tool did then (<code>unrated: "zero"</code>), to reproduce the published figures; the default leaves it out of that statement's figures`
      : "the tool then scored such an organisation 0; it is now left out of that statement's figures instead";
  return `<p class="small zero-note">The 0.0 ${zeros.length === 1 ? "" : "figures "}(${escapeHtml(list)}) ${zeros.length === 1 ? "is" : "are"} not a rating: ratings run from 1 to 5. A 0.0 is an organisation none of whose respondents rated the statement: ${why}.</p>`;
}

/** A column header, its years kept on one line ("2024-25" never breaks at the hyphen). */
function headerCell(text: string): string {
  return escapeHtml(text).replace(/(\d{4}-\d{2})/g, '<span class="nowrap">$1</span>');
}

/** 2025-03-28 → 28 March 2025. */
export function formatDate(isoDate: string): string {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
