import type { EvaluationResults } from "./evaluationResultsSchema.ts";
import { shortTitle } from "./nationalTables.ts";

/**
 * The national tables as plain text for a terminal: per theme, each statement's average,
 * minimum, maximum and RAG band this year and last year's three (Appendix 4's Tables 1-4).
 */
export function summarizeEvaluation(results: EvaluationResults): string {
  const o = results.organisations;
  const thisYear = shortTitle(results.cycle.title);
  const lastYear = results.cycle.previousCycleTitle ? shortTitle(results.cycle.previousCycleTitle) : "last year";
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? "  – " : value.toFixed(1)).padStart(4);
  const lines = [
    `${results.cycle.title}: ${o.included} organisations included, ${o.excluded} excluded (sent data, missed the criteria), ${o.withoutData} registered without data`,
  ];
  results.themes.forEach((theme, index) => {
    lines.push("", `Table ${index + 1}: ${theme.title}`, `  No.  ${thisYear.padEnd(23)} ${lastYear}`, `       avg  min  max  RAG    avg  min  max  statement`);
    for (const number of theme.statements) {
      const s = results.statements.find((statement) => statement.number === number)!;
      const text = s.text.length > 60 ? `${s.text.slice(0, 59)}…` : s.text;
      lines.push(`  ${String(number).padStart(3)}  ${cell(s.nationalAverage)} ${cell(s.min)} ${cell(s.max)}  ${(s.rag ?? "").padEnd(5)} ${cell(s.previous?.nationalAverage)} ${cell(s.previous?.min)} ${cell(s.previous?.max)}  ${text}`);
    }
    lines.push(`  ${theme.summary}`);
  });
  return lines.join("\n");
}
