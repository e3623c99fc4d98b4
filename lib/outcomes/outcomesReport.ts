import type { PublishedTable } from "../publication/publishedTable.ts";
import { escapeHtml, htmlTable } from "../report/html.ts";
import { reportStyles } from "../report/reportStyles.ts";
import { formatDateTime } from "../time/formatDateTime.ts";
import type { OutcomesFigure } from "./outcomesFigures.ts";
import type { OutcomesResults } from "./outcomesResultsSchema.ts";

/**
 * The outcomes report: registrations (Appendix 1), the complete cases and outcomes, the
 * unsuccessful rates, the regression's findings in plain words with how the model was fitted,
 * the trends, and the tables. Every table also goes out as CSV and in the workbook.
 */
export function outcomesReportHtml(results: OutcomesResults, tables: readonly PublishedTable[], figures: readonly OutcomesFigure[] = [], pngFigures = false): string {
  const a = results.analysis;
  const g = results.regression;
  const section = (title: string, body: string) => `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
  const table = (t: PublishedTable) => htmlTable(escapeHtml(t.title), t.columns.map(escapeHtml), t.rows.map((row) => row.map((cell) => escapeHtml(cell))));
  const headline = a
    ? `<p class="lead">Of the ${a.records.toLocaleString("en-GB")} records of the cohorts ${escapeHtml(results.cycle.analysisCohorts.join(", "))}, ${a.completeCases.toLocaleString("en-GB")} are complete (every characteristic and the outcome known): ${a.successful.toLocaleString("en-GB")} (${a.successfulPercentage?.toFixed(1)}%) completed the ASYE successfully and ${a.unsuccessful} (${a.unsuccessfulPercentage?.toFixed(1)}%) did not.</p>`
    : "<p>No records of the analysis cohorts are held (they may have expired).</p>";
  const rates = results.rates
    .map((variable) => {
      const shown = variable.levels.filter((l) => !l.suppressed && l.percentage !== null);
      return `<li>${escapeHtml(variable.label)}: ${shown.map((l) => `${l.percentage!.toFixed(1)}% of ${escapeHtml(l.label.toLowerCase())} NQSWs`).join(", ")}${variable.levels.some((l) => l.suppressed) ? " (some groups withheld: [c])" : ""}</li>`;
    })
    .join("");
  const findings = g
    ? `<p>${escapeHtml(g.method === "firth" ? "Fitted with Firth's correction (penalised likelihood)" : "Fitted by maximum likelihood")} because ${escapeHtml(g.why)}.</p>
<ul>${g.terms.filter((t) => t.p !== null && t.p < 0.05).map((t) => `<li>${escapeHtml(t.sentence)}</li>`).join("") || "<li>No characteristic made a statistically significant difference at the 5% level.</li>"}</ul>
<p class="small">How to read an odds ratio: 1 means no difference from the reference group; 2 means the odds of an unsuccessful ASYE were twice as high, other characteristics being equal. With outcomes this rare the odds ratio is close to the ratio of the chances, hence "times as likely". The interval is where the true ratio plausibly lies; if it includes 1 the difference may be chance.</p>`
    : "";
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(results.cycle.title)}</title><style>${reportStyles} .lead { font-size: 1.05rem; } .small { font-size: 0.85rem; color: #4d4d4d; }</style></head>
<body>
<h1>${escapeHtml(results.cycle.title)}</h1>
<p class="meta">Computed ${escapeHtml(formatDateTime(results.provenance.computedAt))}. Records are kept ${results.rules.retentionYears} years; trends come from counts kept after they expire.</p>
${headline}
${rates ? `<ul>${rates}</ul>` : ""}
${g ? section("What makes a difference: logistic regression", findings) : ""}
${figures.length > 0 ? section("Figures", figures.map((figure) => figureHtml(figure, pngFigures)).join("\n")) : ""}
${section("Tables", tables.map(table).join("\n"))}
<p class="small">${escapeHtml(results.rules.suppression.why)}</p>
</body></html>
`;
}

/**
 * A figure under its caption's name, with links to its files (SVG and CSV, and PNG where
 * rendered): in a tagged PDF the chart is the Figure, its description the alternative text.
 */
function figureHtml(figure: OutcomesFigure, png: boolean): string {
  const caption = `${figure.id}-caption`;
  const links = ["svg", ...(png ? ["png"] : []), "csv"].map((type) => `<a href="figures/${figure.id}.${type}" download>${type.toUpperCase()}</a>`).join(" · ");
  return `<figure id="${figure.id}" role="group" aria-labelledby="${caption}">${figure.svg}<figcaption id="${caption}">${escapeHtml(figure.title)} <span class="downloads">Download: ${links}</span></figcaption></figure>`;
}
