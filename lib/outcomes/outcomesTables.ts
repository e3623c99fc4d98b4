import type { PublishedTable, TableCell } from "../publication/publishedTable.ts";
import type { OutcomesResults, UnsuccessfulRate } from "./outcomesResultsSchema.ts";

const C = "[c]";
const X = "[x]";

type Registrations = NonNullable<OutcomesResults["registrations"]>;
type Analysis = NonNullable<OutcomesResults["analysis"]>;
type Regression = NonNullable<OutcomesResults["regression"]>;
type RatesByVariable = OutcomesResults["rates"][number];
type Trend = OutcomesResults["trends"][number];

/**
 * The outcome tables as published: Appendix 1's registrations (by cohort, employer type and
 * region) and Appendix 2's counts, unsuccessful rates by characteristic with Wilson intervals,
 * the odds ratios, and the trends by cohort. `[c]`: withheld; `[x]`: not available.
 */
export function outcomesTables(results: OutcomesResults): PublishedTable[] {
  const r = results.registrations;
  return [
    ...(r ? [registrationsByCohort(r), registrationsByEmployerType(r), registrationsByRegion(r), ...(r.byArea.length > 0 ? [registrationsByArea(r)] : [])] : []),
    ...(results.analysis ? [recordsByCohort(results.analysis)] : []),
    ...results.rates.map((variable) => unsuccessfulBy(variable, results.cycle.analysisCohorts)),
    ...(results.regression ? [oddsRatios(results.regression)] : []),
    ...results.trends.map(trendBy),
  ];
}

/** Table 1: NQSWs registered in each cohort. */
function registrationsByCohort(registrations: Registrations): PublishedTable {
  return { id: "registrations-by-cohort", sheet: "Registrations_by_cohort", title: "Table 1: NQSW registrations by cohort", notes: [], columns: ["Cohort", "NQSWs registered"], rows: registrations.byCohort.map((c) => [c.cohort, c.nqsws]) };
}

/** Table 2: the registration cohort's employers and NQSWs by employer type, with the total. */
function registrationsByEmployerType(registrations: Registrations): PublishedTable {
  return {
    id: "registrations-by-employer-type",
    sheet: "Registrations_employer_type",
    title: `Table 2: ${registrations.cohort} registrations by employer type`,
    notes: [],
    columns: ["Employer type", "Number of employers participating", "Number of NQSWs registered"],
    rows: [...registrations.byEmployerType.map((e): TableCell[] => [e.label, e.employers, e.nqsws]), ["Total", registrations.total.employers, registrations.total.nqsws]],
  };
}

/** Table 3: the registration cohort's NQSWs and employers by region, with the total. */
function registrationsByRegion(registrations: Registrations): PublishedTable {
  return {
    id: "registrations-by-region",
    sheet: "Registrations_by_region",
    title: `Table 3: ${registrations.cohort} registrations by area`,
    notes: [],
    columns: ["Region", "Number of NQSWs registered", "Number of employers"],
    rows: [...registrations.byRegion.map((e): TableCell[] => [e.label, e.nqsws, e.employers]), ["Total", registrations.total.nqsws, registrations.total.employers]],
  };
}

/** The registration cohort's NQSWs by the cycle's wider areas (South, Midlands, North), with each one's share. */
function registrationsByArea(registrations: Registrations): PublishedTable {
  return {
    id: "registrations-by-wider-area",
    sheet: "Registrations_by_wider_area",
    title: `${registrations.cohort} registrations by wider area (regions grouped as the cycle file says)`,
    notes: [],
    columns: ["Area", "Number of NQSWs registered", "% of NQSWs registered"],
    rows: registrations.byArea.map((a): TableCell[] => [a.label, a.nqsws, a.percentage]),
  };
}

/** The records analysed by cohort, the complete cases among them and their outcomes. */
function recordsByCohort(analysis: Analysis): PublishedTable {
  return {
    id: "records-by-cohort",
    sheet: "Records_by_cohort",
    title: "Number of NQSWs by cohort (the records analysed), complete cases and outcomes",
    notes: [],
    columns: ["Measure", "Count", "Percentage of complete cases"],
    rows: [
      ...analysis.byCohort.map((c): TableCell[] => [`Cohort ${c.cohort}`, c.records, X]),
      ["All records", analysis.records, X],
      ["Complete cases", analysis.completeCases, 100],
      ["Successfully completed", analysis.successful, analysis.successfulPercentage ?? X],
      ["Unsuccessfully completed", analysis.unsuccessful, analysis.unsuccessfulPercentage ?? X],
    ],
  };
}

/** One characteristic's unsuccessful rate by level, with its Wilson interval. */
function unsuccessfulBy(variable: RatesByVariable, analysisCohorts: readonly string[]): PublishedTable {
  return {
    id: `unsuccessful-by-${variable.variable}`,
    sheet: `Unsuccessful_${variable.variable}`.slice(0, 31),
    title: `Unsuccessful completions by ${variable.label.toLowerCase()} (complete cases, cohorts ${analysisCohorts.join(", ")})`,
    notes: [],
    columns: [variable.label, "Complete cases", "Unsuccessful", "% unsuccessful", "95% interval lower", "95% interval upper"],
    rows: variable.levels.map((level) => rateRow(level.label, level)),
  };
}

/** A level's row: withheld whole, not available when no complete case has it, else its figures. */
function rateRow(label: string, rate: UnsuccessfulRate): TableCell[] {
  return rate.suppressed ? [label, C, C, C, C, C] : rate.base === null ? [label, 0, X, X, X, X] : [label, rate.base, rate.unsuccessful!, rate.percentage!, rate.lower95!, rate.upper95!];
}

/** A p-value as the report prints it: "<0.001" below a thousandth, else to 3 decimal places; [x] when not estimated. */
export function pCell(p: number | null): TableCell {
  if (p === null) return X;
  return p < 0.001 ? "<0.001" : Number(p.toFixed(3));
}

/** The regression's odds ratios, each level against its characteristic's reference level. */
function oddsRatios(regression: Regression): PublishedTable {
  const figure = (value: number | null, digits = 2): TableCell => (value === null ? X : Number(value.toFixed(digits)));
  return {
    id: "odds-ratios",
    sheet: "Odds_ratios",
    title: `Logistic regression of an unsuccessful ASYE (${regression.method === "firth" ? "Firth's penalised likelihood" : "maximum likelihood"}; ${regression.records} complete cases, ${regression.events} unsuccessful)`,
    notes: [],
    columns: ["Characteristic", "Level", "Against (the reference level)", "Odds ratio", "95% interval lower", "95% interval upper", "p"],
    rows: regression.terms.map((t) => [t.variableLabel ?? t.variable, t.label, t.referenceLabel ?? t.reference, figure(t.oddsRatio), figure(t.lower95), figure(t.upper95), pCell(t.p)]),
  };
}

/** One characteristic's unsuccessful percentage by level in each cohort, from the counts kept after records expire. */
function trendBy(trend: Trend): PublishedTable {
  const levels = trend.cohorts[0]?.levels ?? [];
  return {
    id: `trend-by-${trend.variable}`,
    sheet: `Trend_${trend.variable}`.slice(0, 31),
    title: `% of unsuccessful completions by ${trend.label.toLowerCase()} and cohort (from the aggregates kept after records expire)`,
    notes: [],
    columns: ["Cohort", ...levels.map((l) => `${l.label} (%)`)],
    rows: trend.cohorts.map((c) => [c.cohort, ...c.levels.map((l) => (l.suppressed ? C : (l.percentage ?? X)))]),
  };
}
