import type { PublishedTable } from "../publication/publishedTable.ts";
import { escapeHtml, htmlTable } from "../report/html.ts";
import { reportStyles } from "../report/reportStyles.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults } from "./evaluationResultsSchema.ts";

/**
 * RAG cells: a tint and a border pattern per band, and always the band's name, so a band is
 * never told by colour alone (greyscale prints and colour-blind readers see the word).
 */
export const ragStyles = `
.rag { font-weight: bold; white-space: nowrap; } .rag::before { content: ""; display: inline-block; width: 0.7em; height: 0.7em; margin-right: 0.35em; vertical-align: baseline; }
.rag-red::before { background: #b3261e; border-radius: 0; } .rag-amber::before { background: #c77700; transform: rotate(45deg) scale(0.85); } .rag-green::before { background: #2e7d32; border-radius: 50%; }
.key { display: flex; gap: 1.5rem; flex-wrap: wrap; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
.lead { font-size: 1.05rem; } .small { font-size: 0.85rem; color: #4d4d4d; } .nowrap { white-space: nowrap; }
table.statements td:nth-child(2) { width: 42%; }
@media print { table.statements { break-inside: auto; font-size: 8.5pt; } table.statements tr { break-inside: avoid; } p.summary { break-after: avoid; } }
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
 * and its table (Appendix 4's Tables 1-4), and the regional averages.
 */
export function nationalReportHtml(config: EvaluationConfig, results: EvaluationResults, tables: readonly PublishedTable[]): string {
  const o = results.organisations;
  const cutOff = results.cycle.submittedBy ? ` up to ${formatDate(results.cycle.submittedBy)}` : "";
  const themeSections = config.themes.map((theme, index) => {
    const summary = results.themes.find((t) => t.id === theme.id)!;
    const table = tables[index]!;
    const rows = results.statements
      .filter((s) => s.theme === theme.id)
      .map((s) => {
        const row = table.rows.find((r) => r[0] === s.number)!;
        return [String(s.number), escapeHtml(s.text), String(row[2]), String(row[3]), String(row[4]), ragCell(config, s.rag), String(row[6]), String(row[7]), String(row[8]), String(row[9])];
      });
    return `<section id="${escapeHtml(theme.id)}"><h2>Evaluation criteria theme ${index + 1}: ${escapeHtml(theme.title)}</h2>
<p class="summary">${escapeHtml(summary.summary)}</p>
${htmlTable(escapeHtml(table.title), ["No.", ...table.columns.slice(1)].map(headerCell), rows, "statements", [1, 5])}</section>`;
  });
  const regions = tables.find((t) => t.id === "regions");
  const zeroNote = results.statements.some((s) => s.zeroScores > 0)
    ? `<p class="small">A minimum of 0.0 is an organisation none of whose respondents rated the statement: this cycle scores such an organisation 0, as the tool did then (<code>unrated: "zero"</code>). A 0 is not a rating; later cycles leave such an organisation out of that statement's figures.</p>`
    : "";
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(results.cycle.title)}: national results</title>
<style>${reportStyles}${ragStyles}</style></head>
<body>
<h1>${escapeHtml(results.cycle.title)}: national results</h1>
<p class="meta">Computed ${escapeHtml(results.provenance.computedAt.slice(0, 16).replace("T", " "))} UTC from ${results.provenance.uploads.length} export(s).</p>
<p class="lead">These are the composite results for the <strong>${o.included}</strong> organisations who had submitted their data${escapeHtml(cutOff)} and met the criteria for inclusion (a self-assessment and at least ${config.inclusion.minimumOtherRespondents} other respondents). A further ${o.withoutData} organisations registered but submitted no data, and ${o.excluded} submitted some data but did not meet the minimum criteria (${o.excludedBecause.noSelfAssessment} with no self-assessment, ${o.excludedBecause.tooFewOtherRespondents} with too few other respondents).${o.lateResponsesLeftOut > 0 ? ` ${o.lateResponsesLeftOut} responses arrived after the cut-off and are not counted.` : ""}</p>
<p>The national average of a statement is the mean of the included organisations' scores, each organisation counting once; min and max are the lowest and highest organisation scores. The results are coded:</p>
${ragKey(config)}
${zeroNote}
${themeSections.join("\n")}
${regions ? `<section id="regions"><h2>Regions</h2>${htmlTable(escapeHtml(regions.title), regions.columns.map(escapeHtml), regions.rows.map((r) => r.map((c) => escapeHtml(c))))}</section>` : ""}
</body></html>
`;
}

/** A column header, its years kept on one line ("2024-25" never breaks at the hyphen). */
function headerCell(text: string): string {
  return escapeHtml(text).replace(/(\d{4}-\d{2})/g, '<span class="nowrap">$1</span>');
}

/** 2025-03-28 → 28 March 2025. */
export function formatDate(isoDate: string): string {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
