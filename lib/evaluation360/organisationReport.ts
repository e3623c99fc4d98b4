import { HIGHLIGHTS } from "./organisationResults.ts";
import { escapeHtml, htmlTable } from "../report/html.ts";
import { reportStyles } from "../report/reportStyles.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { OrganisationResults } from "./evaluationResultsSchema.ts";
import { shortTitle, signed } from "./nationalTables.ts";
import { ragCell, ragKey, ragStyles } from "./nationalReport.ts";

const organisationStyles = `
.statement { font-size: 0.95em; } table.scores th[scope="row"] { width: 2rem; } table.scores td:nth-child(2) { width: 45%; }
ul.highlights li { margin-bottom: 0.3rem; }
@media print { table { font-size: 8.5pt; } table.scores, table.types { break-inside: auto; } tr { break-inside: avoid; } section.theme { break-before: page; } }
`;

/**
 * One organisation's personalised report: its score on every statement beside the national
 * and regional averages and its own last year, by respondent type, and its strengths and
 * development areas (the statements furthest above and below the national average).
 * `[c]` marks a figure withheld to keep respondents anonymous.
 */
export function organisationReportHtml(config: Pick<EvaluationConfig, "rag" | "scale">, results: OrganisationResults): string {
  const { organisation, cycle } = results;
  const year = shortTitle(cycle.title);
  const lastYear = cycle.previousCycleTitle ? shortTitle(cycle.previousCycleTitle) : "last year";
  const typeLabel = new Map(results.respondents.map((r) => [r.type, r.label]));
  const byNumber = new Map(results.statements.map((s) => [s.number, s]));
  const value = (v: number | null) => (v === null ? "–" : v.toFixed(1));
  const figure = (f: { value: number | null; suppressed: boolean; n: number | null }) => (f.suppressed ? "[c]" : f.value === null ? "–" : `${f.value.toFixed(1)} <span class="small">(${f.n})</span>`);
  const respondents = results.respondents
    .map((r) => `<li>${escapeHtml(r.label)}: ${r.suppressed ? `fewer than ${results.minimumRespondentsPerType}` : r.count}</li>`)
    .join("");
  // Fewer than five named: say why, rather than leave the reader to wonder.
  const highlight = (numbers: readonly number[], side: "above" | "below") =>
    numbers.length === 0
      ? `<p>None: no statement of yours scores ${side} the national average.</p>`
      : `${numbers.length < HIGHLIGHTS ? `<p class="small">Only ${numbers.length} of your scored statements ${numbers.length === 1 ? "is" : "are"} ${side} the national average, so ${numbers.length === 1 ? "it is" : "they are"} all listed.</p>` : ""}<ul class="highlights">${numbers
          .map((n) => {
            const s = byNumber.get(n)!;
            return `<li><strong>${n}.</strong> ${escapeHtml(s.text)}: <strong>${value(s.score.value)}</strong> against ${value(s.national)} nationally</li>`;
          })
          .join("")}</ul>`;
  const types = results.statements[0]?.byType.map((t) => escapeHtml(typeLabel.get(t.type) ?? t.type)) ?? [];
  const themes = results.themes.map((theme, index) => {
    const own = results.statements.filter((s) => s.theme === theme.id);
    const scores = own.map((s) => [
      String(s.number),
      `<span class="statement">${escapeHtml(s.text)}</span>`,
      figure(s.score),
      ragCell(config, s.rag),
      s.change === null ? "–" : signed(s.change),
      value(s.national),
      value(s.regional),
    ]);
    const byType = own.map((s) => [String(s.number), ...s.byType.map(figure)]);
    return `<section class="theme"><h2>Theme ${index + 1}: ${escapeHtml(theme.title)}</h2><p>Your organisation's average over this theme's statements: <strong>${value(theme.score)}</strong> (national ${value(theme.national)}).</p>
${htmlTable(`Theme ${index + 1}: your scores (number of ratings) beside the national and regional averages`, ["No.", "Statement", "Your organisation", "RAG", `Change since <span class="nowrap">${escapeHtml(lastYear)}</span>`, "National average", "Your region"], scores, "scores", [1, 3])}
${htmlTable(`Theme ${index + 1}: your scores by type of respondent (number of ratings)`, ["No.", ...types], byType, "types")}</section>`;
  });
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(organisation.name)}: ${escapeHtml(cycle.title)}</title>
<style>${reportStyles}${ragStyles}${organisationStyles}</style></head>
<body>
<h1>${escapeHtml(organisation.name)}</h1>
<p class="meta">${escapeHtml(cycle.title)}: personalised report${organisation.region ? ` · ${escapeHtml(organisation.region)}` : ""} · computed ${escapeHtml(results.provenance.computedAt.slice(0, 10))}</p>
<p>Your stakeholders rated ${results.statements.length} statements from 1 (significant development needed) to 5 (exceptional strength). Your score on a statement is the mean of all your respondents' ratings; the national average is the mean of every included organisation's score in ${escapeHtml(year)}.</p>
<h2>Who responded</h2><ul>${respondents}</ul>
<p class="small">Feedback is anonymous: a type of respondent's figures are shown only where at least ${results.minimumRespondentsPerType} of them rated the statement, and [c] marks a figure withheld for that reason, or because it would let a withheld one be worked out. Your own score on a statement is withheld when fewer than ${results.minimumRespondentsPerType} respondents besides the self-assessment rated it.</p>
${ragKey(config)}
<h2>Strengths</h2><p>Up to ${HIGHLIGHTS} statements where your score is furthest above the national average:</p>${highlight(results.strengths, "above")}
<h2>Development areas</h2><p>Up to ${HIGHLIGHTS} statements where your score is furthest below the national average:</p>${highlight(results.developmentAreas, "below")}
${results.statements.every((s) => s.regional === null) ? `<p class="small">Your region's averages are not shown (–): too few organisations in ${organisation.region ? escapeHtml(organisation.region) : "your region"} were included for its averages to be published without making one organisation's, or another small region's, known (the national report says which regions are withheld and why).</p>` : ""}
${themes.join("\n")}
</body></html>
`;
}
