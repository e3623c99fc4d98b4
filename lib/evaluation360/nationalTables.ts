import type { PublishedTable, TableCell } from "../publication/publishedTable.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults } from "./evaluationResultsSchema.ts";

/** The label of a RAG band by id, as the cycle names it. */
export function bandLabel(config: Pick<EvaluationConfig, "rag">, band: string | null): string {
  return band === null ? "[x]" : (config.rag.find((b) => b.id === band)?.label ?? band);
}

/**
 * Appendix 4's tables, one per theme: each statement's national average, minimum and maximum
 * this year with its RAG band (as a word, so it never rests on colour), last year's three, and
 * the change. Then the regional averages, when organisations have regions. `[x]`: not available.
 */
export function nationalTables(config: EvaluationConfig, results: EvaluationResults): PublishedTable[] {
  const thisYear = shortTitle(results.cycle.title);
  const lastYear = results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "Last year";
  const figure = (value: number | null | undefined): TableCell => (value === null || value === undefined ? "[x]" : value.toFixed(1));
  const tables: PublishedTable[] = config.themes.map((theme, index) => ({
    id: `table-${index + 1}`,
    sheet: `Table_${index + 1}`,
    title: `Table ${index + 1}: evaluation criteria theme ${index + 1}: ${theme.title}`,
    notes: [],
    columns: ["Statement", "Wording", `${thisYear} national average`, `${thisYear} min`, `${thisYear} max`, `${thisYear} RAG`, `${lastYear} national average`, `${lastYear} min`, `${lastYear} max`, "Change in average"],
    rows: results.statements
      .filter((s) => s.theme === theme.id)
      .map((s) => [s.number, s.text, figure(s.nationalAverage), figure(s.min), figure(s.max), bandLabel(config, s.rag), figure(s.previous?.nationalAverage), figure(s.previous?.min), figure(s.previous?.max), s.change === null ? "[x]" : signed(s.change)]),
  }));
  if (results.regions.length > 0) {
    tables.push({
      id: "regions",
      sheet: "Regions",
      title: `Regional averages: the mean score of each region's included organisations ([c]: fewer than ${config.minimumOrganisationsPerRegion} organisations, or withheld to protect one that has)`,
      notes: [],
      columns: ["Statement", ...results.regions.map((r) => `${r.region} (${r.organisations})`)],
      rows: results.statements.map((s) => [s.number, ...results.regions.map((r) => (r.suppressed ? "[c]" : figure(r.averages[String(s.number)])))]),
    });
  }
  return tables;
}

/** "360-degree evaluation tool 2024-25" → "2024-25"; titles without a year stay whole. */
export function shortTitle(title: string): string {
  return /\b(\d{4}-\d{2})\b/.exec(title)?.[1] ?? title;
}

/** A change with its sign: +0.1, -0.2, 0.0. */
export function signed(change: number): string {
  return change > 0 ? `+${change.toFixed(1)}` : change.toFixed(1);
}
