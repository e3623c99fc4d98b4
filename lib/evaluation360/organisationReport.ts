import { HIGHLIGHTS } from "./organisationResults.ts";
import { escapeHtml, htmlTable } from "../report/html.ts";
import { reportStyles } from "../report/reportStyles.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { OrganisationResults } from "./evaluationResultsSchema.ts";
import { formatDateTime } from "../time/formatDateTime.ts";
import { shortTitle, signed } from "./nationalTables.ts";
import { keepStyles, ragCell, ragKey, ragStyles, zeroNote } from "./nationalReport.ts";

const organisationStyles = `
.statement { font-size: 0.95em; } table.scores th[scope="row"] { width: 2rem; } table.scores td:nth-child(2) { width: 62%; }
ul.highlights li { margin-bottom: 0.3rem; }
@media print { table { font-size: 8.5pt; } th, td { padding: 0.25rem; } }
`;

type Statement = OrganisationResults["statements"][number];
type Figure = Statement["score"];

/** What the report needs of the cycle besides the results: its RAG bands, its scale, and the time zone its times are given in. */
type ReportConfig = Pick<EvaluationConfig, "rag" | "scale" | "timezone">;

/** A figure as a cell: the value (one decimal) and its number of ratings, `[c]` when withheld, – when nobody rated it. */
function figureCell(f: Figure): string {
  return f.suppressed ? "[c]" : f.value === null ? "–" : `<span class="nowrap">${f.value.toFixed(1)} <span class="small">(${f.n})</span></span>`;
}

/** A value to one decimal, – when there is none. */
function oneDecimal(v: number | null): string {
  return v === null ? "–" : v.toFixed(1);
}

/**
 * One organisation's personalised report: its score on every statement beside the national
 * and regional averages and its own last year, by respondent type, and its strengths and
 * development areas (the statements furthest above and below the national average).
 * `[c]` marks a figure withheld to keep respondents anonymous; every – is explained where it
 * appears. In print a heading is never left at the foot of a page (it is kept with what
 * follows), a table shorter than a page is never split, and a longer one repeats its header.
 */
export function organisationReportHtml(config: ReportConfig, results: OrganisationResults): string {
  const { organisation, cycle } = results;
  const year = shortTitle(cycle.title);
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(organisation.name)}: ${escapeHtml(cycle.title)}</title>
<style>${reportStyles}${ragStyles}${keepStyles}${organisationStyles}</style></head>
<body>
<h1>${escapeHtml(organisation.name)}</h1>
<p class="meta">${escapeHtml(cycle.title)}: personalised report${organisation.region ? ` · ${escapeHtml(organisation.region)}` : ""} · computed ${escapeHtml(formatDateTime(results.provenance.computedAt, config.timezone))}</p>
<p>Your stakeholders rated ${results.statements.length} statements from 1 (significant development needed) to 5 (exceptional strength). Your score on a statement is the mean of all your respondents' ratings; the national average is the mean of every included organisation's score in ${escapeHtml(year)}.</p>
${respondentsSection(results)}
${ragKey(config)}
${highlightSection("Strengths", results.strengths, "above", results)}
${highlightSection("Development areas", results.developmentAreas, "below", results)}
${regionNote(results)}
${noPreviousNote(results)}
${zeroNote(zerosShown(results), "the tool")}
${results.themes.map((theme, index) => themeSection(config, results, theme, index)).join("\n")}
</body></html>
`;
}

/** Who responded, by type (a small count withheld), and how anonymity is kept: kept together on one page. */
function respondentsSection(results: OrganisationResults): string {
  const minimum = results.minimumRespondentsPerType;
  const respondents = results.respondents.map((r) => `<li>${escapeHtml(r.label)}: ${r.suppressed ? `fewer than ${minimum}` : r.count}</li>`).join("");
  return `<section class="keep"><h2>Who responded</h2><ul>${respondents}</ul>
<p class="small">Feedback is anonymous: a type of respondent's figures are shown only where at least ${minimum} of them rated the statement, and [c] marks a figure withheld for that reason, or because it would let a withheld one be worked out. Your own score on a statement is withheld when fewer than ${minimum} respondents besides the self-assessment rated it.</p></section>`;
}

/**
 * The strengths (or development areas): up to five statements, each with its score against the
 * national average; why there are fewer when there are; the heading kept with its list.
 */
function highlightSection(title: string, numbers: readonly number[], side: "above" | "below", results: OrganisationResults): string {
  const byNumber = new Map(results.statements.map((s) => [s.number, s]));
  const intro = `<p>Up to ${HIGHLIGHTS} statements where your score is furthest ${side} the national average:</p>`;
  if (numbers.length === 0) return `<section class="keep"><h2>${title}</h2>${intro}<p>None: no statement of yours scores ${side} the national average.</p></section>`;
  // Fewer than five named: say why, rather than leave the reader to wonder.
  const few = numbers.length < HIGHLIGHTS ? `<p class="small">Only ${numbers.length} of your scored statements ${numbers.length === 1 ? "is" : "are"} ${side} the national average, so ${numbers.length === 1 ? "it is" : "they are"} all listed.</p>` : "";
  const items = numbers.map((n) => {
    const s = byNumber.get(n)!;
    // Equal to one decimal, yet above (or below) before rounding: say so, or "4.0 against 4.0" reads as a mistake.
    const rounding = s.score.value !== null && s.score.value === s.national ? ` (${side} it before rounding to one decimal)` : "";
    return `<li><strong>${n}.</strong> ${escapeHtml(s.text.replace(/[.!?]$/, ""))}: <strong>${oneDecimal(s.score.value)}</strong> against ${oneDecimal(s.national)} nationally${rounding}</li>`;
  });
  return `<section class="keep"><h2>${title}</h2>${intro}${few}<ul class="highlights">${items.join("")}</ul></section>`;
}

/** Why "Your region" shows – throughout, when the organisation's region is withheld. */
function regionNote(results: OrganisationResults): string {
  if (!results.statements.every((s) => s.regional === null)) return "";
  const region = results.organisation.region ? escapeHtml(results.organisation.region) : "your region";
  return `<p class="small">Your region's averages are not shown (–): too few organisations in ${region} were included for its averages to be published without making one organisation's, or another small region's, known (the national report says which regions are withheld and why).</p>`;
}

/** The 0.0s the report shows (none can be a rating on a 1-5 scale), in words: "statement 8's national average". */
function zerosShown(results: OrganisationResults): string[] {
  return results.statements.flatMap((s) => {
    const zeros: [number | null, string][] = [
      [s.score.value, "your score"],
      [s.national, "national average"],
      [s.regional, "regional average"],
      [s.previous, "your score last year"],
    ];
    return zeros.filter(([value]) => value === 0).map(([, what]) => `statement ${s.number}'s ${what}`);
  });
}

/** One theme: its heading, the organisation's average over it, its scores table and its table by respondent type. */
function themeSection(config: ReportConfig, results: OrganisationResults, theme: OrganisationResults["themes"][number], index: number): string {
  const lastYear = results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "last year";
  const typeLabel = new Map(results.respondents.map((r) => [r.type, r.label]));
  const own = results.statements.filter((s) => s.theme === theme.id);
  const scores = own.map((s) => [
    String(s.number),
    `<span class="statement">${escapeHtml(s.text)}</span>`,
    figureCell(s.score),
    ragCell(config, s.rag),
    s.change === null ? "–" : signed(s.change),
    oneDecimal(s.national),
    oneDecimal(s.regional),
  ]);
  const types = own[0]?.byType.map((t) => escapeHtml(typeLabel.get(t.type) ?? t.type)) ?? [];
  const byType = own.map((s) => [String(s.number), ...s.byType.map(figureCell)]);
  const scoresHead = ["No.", "Statement", "Your organisation", "RAG", `Change since <span class="nowrap">${escapeHtml(lastYear)}</span>`, "National average", "Your region"];
  const scoresTable = htmlTable(`Theme ${index + 1}: your scores (number of ratings) beside the national and regional averages`, scoresHead, scores, "scores", [1, 3]);
  const typesTable = htmlTable(`Theme ${index + 1}: your scores by type of respondent (number of ratings)`, ["No.", ...types], byType, "types");
  // The heading, its sentence and the first table are one block: never split when it fits a page;
  // when it does not, it starts a page and the table runs on, its header repeated.
  return `<section class="theme"><div class="keep"><h2>Theme ${index + 1}: ${escapeHtml(theme.title)}</h2><p>Your organisation's average over this theme's statements: <strong>${oneDecimal(theme.score)}</strong> (national ${oneDecimal(theme.national)}).</p>
${scoresTable}${changeNote(own, results, lastYear)}</div>
<div class="keep">${typesTable}${typeDashNote(own)}</div></section>`;
}

/** Why "Change since" shows – throughout, when the organisation has no scores of last year's (said once, beside the region's note). */
function noPreviousNote(results: OrganisationResults): string {
  if (!results.statements.every((s) => s.previous === null)) return "";
  const year = escapeHtml(results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "last year");
  return `<p class="small">Your change since ${year} is not shown (–): there are no scores of yours from ${year} to compare with (your organisation was not among those included in ${year}, or all its scores then were withheld).</p>`;
}

/** Why the change column shows – on some statements, when it does: no score of last year's, or this year's, to compare. */
function changeNote(own: readonly Statement[], results: OrganisationResults, lastYear: string): string {
  if (!own.some((s) => s.change === null) || results.statements.every((s) => s.previous === null)) return "";
  return `<p class="small">A – under Change: there is no score of yours to compare, in ${escapeHtml(lastYear)} or this year (not rated, or withheld to keep respondents anonymous).</p>`;
}

/** Why a respondent type's cell shows –, when one does: nobody of that type rated the statement. */
function typeDashNote(own: readonly Statement[]): string {
  return own.some((s) => s.byType.some((f) => !f.suppressed && f.value === null))
    ? `<p class="small">A – means no rating from that type of respondent: none responded, or those who did left the statement blank or answered "don't know".</p>`
    : "";
}
