import type { OutcomesResults } from "./outcomesResultsSchema.ts";

/** The headline figures of an outcomes cycle as plain text for a terminal. */
export function summarizeOutcomes(results: OutcomesResults): string {
  const lines = [results.cycle.title];
  const r = results.registrations;
  if (r) {
    if (r.byFinancialYear.length > 0) lines.push(`  Registrations by financial year: ${r.byFinancialYear.map((y) => `${y.financialYear} ${y.nqsws.toLocaleString("en-GB")}`).join(", ")}`);
    lines.push(`  Registrations by cohort: ${r.byCohort.map((c) => `${c.cohort} ${c.nqsws.toLocaleString("en-GB")}`).join(", ")}`);
    lines.push(`  ${r.cohort}: ${r.total.nqsws.toLocaleString("en-GB")} NQSWs registered by ${r.total.employers} employers`);
    lines.push(`    by employer type: ${r.byEmployerType.map((e) => `${e.label} ${e.employers}/${e.nqsws}`).join("; ")} (employers/NQSWs)`);
    lines.push(`    by region: ${r.byRegion.map((e) => `${e.label} ${e.nqsws}`).join(", ")}`);
    if (r.byArea.length > 0) lines.push(`    by area: ${r.byArea.map((a) => `${a.label} ${a.nqsws} (${a.percentage}%)`).join(", ")}`);
  }
  const a = results.analysis;
  if (a) {
    lines.push(`  Cohorts ${results.cycle.analysisCohorts.join(", ")}: ${a.byCohort.map((c) => c.records.toLocaleString("en-GB")).join(" / ")} records, ${a.records.toLocaleString("en-GB")} in all`);
    lines.push(`  Complete cases ${a.completeCases.toLocaleString("en-GB")}: ${a.successful.toLocaleString("en-GB")} passed (${a.successfulPercentage}%), ${a.unsuccessful} did not (${a.unsuccessfulPercentage}%)`);
  }
  for (const variable of results.rates) {
    lines.push(`  Unsuccessful by ${variable.label.toLowerCase()}: ${variable.levels.map((l) => `${l.label} ${l.suppressed ? "[c]" : l.percentage === null ? "–" : `${l.percentage.toFixed(1)}%`}`).join(", ")}`);
  }
  const g = results.regression;
  if (g) {
    lines.push(`  Regression: ${g.method === "firth" ? "Firth's correction" : "maximum likelihood"}, because ${g.why}`);
    for (const term of g.terms.filter((t) => t.p !== null && t.p < 0.05)) lines.push(`    ${term.sentence}`);
  }
  const s = results.serviceAreas;
  if (s && s.unsuccessful.length > 0) {
    const rate = (l: (typeof s.unsuccessful)[number]["levels"][number]) => `${l.label} ${l.suppressed ? "[c]" : l.percentage === null ? "–" : `${l.percentage.toFixed(1)}%`}`;
    lines.push(`  Unsuccessful by ${s.label.toLowerCase()}: ${s.unsuccessful.map((c) => `${c.cohort} ${c.levels.map(rate).join(" / ")}`).join("; ")}`);
  }
  if (results.expiredRecords.length > 0) lines.push(`  Records expired (trends only): ${results.expiredRecords.join(", ")}`);
  return lines.join("\n");
}
