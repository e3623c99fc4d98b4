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
 * How decimals are written: as numbers (the workbook: Excel shows 2.0 as 2 unless formatted) or
 * as text with their trailing zeros, "2.0" (CSV and the report, read as written).
 */
export type DecimalStyle = "numbers" | "text";

/** A figure to a fixed number of decimals, keeping its trailing zeros as text ("2.0", "0.25") or as a rounded number. */
function decimal(value: number, digits: number, style: DecimalStyle): TableCell {
  return style === "text" ? value.toFixed(digits) : Number(value.toFixed(digits));
}

/**
 * The outcome tables as published: Appendix 1's registrations (Table 1 by financial year, by
 * cohort, Table 2 by employer type, Table 3 by region, and by wider area) and Appendix 2's
 * counts, unsuccessful rates by characteristic with Wilson intervals, the odds ratios, and the
 * trends by cohort. `[c]`: withheld; `[x]`: not available. Percentages to one decimal and odds
 * ratios to two, written as `style` says.
 */
export function outcomesTables(results: OutcomesResults, style: DecimalStyle = "numbers"): PublishedTable[] {
  const r = results.registrations;
  return [
    ...(r ? [...(r.byFinancialYear.length > 0 ? [registrationsByFinancialYear(r)] : []), registrationsByCohort(r), registrationsByEmployerType(r), registrationsByRegion(r), ...(r.byArea.length > 0 ? [registrationsByArea(r, style)] : [])] : []),
    ...(results.analysis ? [recordsByCohort(results.analysis, style)] : []),
    ...results.rates.map((variable) => unsuccessfulBy(variable, results.cycle.analysisCohorts, style)),
    ...(results.regression ? [oddsRatios(results.regression, style)] : []),
    ...results.trends.map((trend) => trendBy(trend, style)),
  ];
}

/** Table 1: NQSWs registered in each financial year (April to March) by their registration date, and those with none. */
function registrationsByFinancialYear(registrations: Registrations): PublishedTable {
  return {
    id: "registrations-by-financial-year",
    sheet: "Registrations_financial_year",
    title: "Table 1: NQSW registrations by financial year (April to March, by registration date)",
    notes: [],
    columns: ["Financial year", "NQSWs registered"],
    rows: [...registrations.byFinancialYear.map((y): TableCell[] => [y.financialYear, y.nqsws]), ...(registrations.withoutRegistrationDate > 0 ? [["Registration date not known", registrations.withoutRegistrationDate]] : [])],
  };
}

/** NQSWs registered in each cohort (the cohorts the records hold; Appendix 2's Table 1 counts the same records). */
function registrationsByCohort(registrations: Registrations): PublishedTable {
  return { id: "registrations-by-cohort", sheet: "Registrations_by_cohort", title: "NQSW registrations by cohort", notes: [], columns: ["Cohort", "NQSWs registered"], rows: registrations.byCohort.map((c) => [c.cohort, c.nqsws]) };
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

/** The registration cohort's NQSWs by the cycle's wider areas (South, Midlands, North), with each one's share whole (as published) and to one decimal. */
function registrationsByArea(registrations: Registrations, style: DecimalStyle): PublishedTable {
  return {
    id: "registrations-by-wider-area",
    sheet: "Registrations_by_wider_area",
    title: `${registrations.cohort} registrations by wider area (regions grouped as the cycle file says)`,
    notes: [],
    columns: ["Area", "Number of NQSWs registered", "% of NQSWs registered", "% to one decimal"],
    rows: registrations.byArea.map((a): TableCell[] => [a.label, a.nqsws, a.percentage, a.proportion === undefined ? X : decimal(100 * a.proportion, 1, style)]),
  };
}

/** The records analysed by cohort, the complete cases among them and their outcomes. */
function recordsByCohort(analysis: Analysis, style: DecimalStyle): PublishedTable {
  return {
    id: "records-by-cohort",
    sheet: "Records_by_cohort",
    title: "Number of NQSWs by cohort (the records analysed), complete cases and outcomes",
    notes: [],
    columns: ["Measure", "Count", "Percentage of complete cases"],
    rows: [
      ...analysis.byCohort.map((c): TableCell[] => [`Cohort ${c.cohort}`, c.records, X]),
      ["All records", analysis.records, X],
      ["Complete cases", analysis.completeCases, decimal(100, 1, style)],
      ["Successfully completed", analysis.successful, analysis.successfulPercentage === null ? X : decimal(analysis.successfulPercentage, 1, style)],
      ["Unsuccessfully completed", analysis.unsuccessful, analysis.unsuccessfulPercentage === null ? X : decimal(analysis.unsuccessfulPercentage, 1, style)],
    ],
  };
}

/** One characteristic's unsuccessful rate by level, with its Wilson interval. */
function unsuccessfulBy(variable: RatesByVariable, analysisCohorts: readonly string[], style: DecimalStyle): PublishedTable {
  return {
    id: `unsuccessful-by-${variable.variable}`,
    sheet: `Unsuccessful_${variable.variable}`.slice(0, 31),
    title: `Unsuccessful completions by ${variable.label.toLowerCase()} (complete cases, cohorts ${analysisCohorts.join(", ")})`,
    notes: [],
    columns: [variable.label, "Complete cases", "Unsuccessful", "% unsuccessful", "95% interval lower", "95% interval upper"],
    rows: variable.levels.map((level) => rateRow(level.label, level, style)),
  };
}

/** A level's row: withheld whole, not available when no complete case has it, else its figures. */
function rateRow(label: string, rate: UnsuccessfulRate, style: DecimalStyle): TableCell[] {
  if (rate.suppressed) return [label, C, C, C, C, C];
  if (rate.base === null) return [label, 0, X, X, X, X];
  return [label, rate.base, rate.unsuccessful!, decimal(rate.percentage!, 1, style), decimal(rate.lower95!, 1, style), decimal(rate.upper95!, 1, style)];
}

/**
 * A p-value as the report prints it: "<0.001" below a thousandth, else to three decimal places
 * with their trailing zeros ("0.050"); [x] when not estimated. Always text, so one column never
 * mixes "<0.001" with numbers that drop their zeros.
 * @example pCell(4.67e-8) // "<0.001"
 * @example pCell(0.05) // "0.050"
 */
export function pCell(p: number | null): TableCell {
  if (p === null) return X;
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

/** The regression's odds ratios, each level against its characteristic's reference level. */
function oddsRatios(regression: Regression, style: DecimalStyle): PublishedTable {
  const figure = (value: number | null): TableCell => (value === null ? X : decimal(value, 2, style));
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
function trendBy(trend: Trend, style: DecimalStyle): PublishedTable {
  const levels = trend.cohorts[0]?.levels ?? [];
  return {
    id: `trend-by-${trend.variable}`,
    sheet: `Trend_${trend.variable}`.slice(0, 31),
    title: `% of unsuccessful completions by ${trend.label.toLowerCase()} and cohort (from the aggregates kept after records expire)`,
    notes: [],
    columns: ["Cohort", ...levels.map((l) => `${l.label} (%)`)],
    rows: trend.cohorts.map((c) => [c.cohort, ...c.levels.map((l) => (l.suppressed ? C : l.percentage === null ? X : decimal(l.percentage, 1, style)))]),
  };
}
