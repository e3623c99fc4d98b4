import type { PublishedTable, TableCell } from "../publication/publishedTable.ts";
import type { OutcomesResults, UnsuccessfulRate } from "./outcomesResultsSchema.ts";

const C = "[c]";
const X = "[x]";

/**
 * The outcome tables as published: Appendix 1's registrations (by cohort, employer type and
 * region) and Appendix 2's counts, unsuccessful rates by characteristic with Wilson intervals,
 * the odds ratios, and the trends by cohort. `[c]`: withheld; `[x]`: not available.
 */
export function outcomesTables(results: OutcomesResults): PublishedTable[] {
  const tables: PublishedTable[] = [];
  const r = results.registrations;
  if (r) {
    tables.push({ id: "registrations-by-cohort", sheet: "Registrations_by_cohort", title: "Table 1: NQSW registrations by cohort", notes: [], columns: ["Cohort", "NQSWs registered"], rows: r.byCohort.map((c) => [c.cohort, c.nqsws]) });
    tables.push({
      id: "registrations-by-employer-type",
      sheet: "Registrations_employer_type",
      title: `Table 2: ${r.cohort} registrations by employer type`,
      notes: [],
      columns: ["Employer type", "Number of employers participating", "Number of NQSWs registered"],
      rows: [...r.byEmployerType.map((e): TableCell[] => [e.label, e.employers, e.nqsws]), ["Total", r.total.employers, r.total.nqsws]],
    });
    tables.push({
      id: "registrations-by-region",
      sheet: "Registrations_by_region",
      title: `Table 3: ${r.cohort} registrations by area`,
      notes: [],
      columns: ["Region", "Number of NQSWs registered", "Number of employers"],
      rows: [...r.byRegion.map((e): TableCell[] => [e.label, e.nqsws, e.employers]), ["Total", r.total.nqsws, r.total.employers]],
    });
  }
  const a = results.analysis;
  if (a) {
    tables.push({
      id: "records-by-cohort",
      sheet: "Records_by_cohort",
      title: "Number of NQSWs by cohort (the records analysed), complete cases and outcomes",
      notes: [],
      columns: ["Measure", "Count", "Percentage of complete cases"],
      rows: [
        ...a.byCohort.map((c): TableCell[] => [`Cohort ${c.cohort}`, c.records, X]),
        ["All records", a.records, X],
        ["Complete cases", a.completeCases, 100],
        ["Successfully completed", a.successful, a.successfulPercentage ?? X],
        ["Unsuccessfully completed", a.unsuccessful, a.unsuccessfulPercentage ?? X],
      ],
    });
  }
  const rateRow = (label: string, rate: UnsuccessfulRate): TableCell[] =>
    rate.suppressed ? [label, C, C, C, C, C] : rate.base === null ? [label, 0, X, X, X, X] : [label, rate.base, rate.unsuccessful!, rate.percentage!, rate.lower95!, rate.upper95!];
  for (const variable of results.rates) {
    tables.push({
      id: `unsuccessful-by-${variable.variable}`,
      sheet: `Unsuccessful_${variable.variable}`.slice(0, 31),
      title: `Unsuccessful completions by ${variable.label.toLowerCase()} (complete cases, cohorts ${results.cycle.analysisCohorts.join(", ")})`,
      notes: [],
      columns: [variable.label, "Complete cases", "Unsuccessful", "% unsuccessful", "95% interval lower", "95% interval upper"],
      rows: variable.levels.map((level) => rateRow(level.label, level)),
    });
  }
  if (results.regression) {
    const g = results.regression;
    const figure = (value: number | null, digits = 2): TableCell => (value === null ? X : Number(value.toFixed(digits)));
    tables.push({
      id: "odds-ratios",
      sheet: "Odds_ratios",
      title: `Logistic regression of an unsuccessful ASYE (${g.method === "firth" ? "Firth's penalised likelihood" : "maximum likelihood"}; ${g.records} complete cases, ${g.events} unsuccessful)`,
      notes: [],
      columns: ["Characteristic", "Level", "Against", "Odds ratio", "95% interval lower", "95% interval upper", "p"],
      rows: g.terms.map((t) => [t.variable, t.label, t.reference, figure(t.oddsRatio), figure(t.lower95), figure(t.upper95), t.p === null ? X : Number(t.p.toPrecision(3))]),
    });
  }
  for (const trend of results.trends) {
    const levels = trend.cohorts[0]?.levels ?? [];
    tables.push({
      id: `trend-by-${trend.variable}`,
      sheet: `Trend_${trend.variable}`.slice(0, 31),
      title: `% of unsuccessful completions by ${trend.label.toLowerCase()} and cohort (from the aggregates kept after records expire)`,
      notes: [],
      columns: ["Cohort", ...levels.map((l) => `${l.label} (%)`)],
      rows: trend.cohorts.map((c) => [c.cohort, ...c.levels.map((l) => (l.suppressed ? C : (l.percentage ?? X)))]),
    });
  }
  return tables;
}
