import { type LogisticFit, logisticRegression } from "../stats/logisticRegression.ts";
import { type DecodedRecord, isCompleteCase } from "./outcomeFigures.ts";
import { OUTCOME } from "./outcomeRecords.ts";
import type { OutcomesConfig, OutcomeVariable } from "./outcomesConfig.ts";
import type { OutcomesResults, RegressionTerm } from "./outcomesResultsSchema.ts";

/**
 * The logistic regression of an unsuccessful ASYE on the predictors, over the complete cases of
 * the analysis cohorts: each predictor's levels against its reference level (dummy coding;
 * levels with no record are left out). Firth's correction is used when the cycle says so, or
 * (`auto`) when maximum likelihood finds separation (a level with no unsuccessful completion,
 * say) or events are rare (fewer than `minimumEventsPerParameter` per estimated parameter),
 * and the results say which and why.
 */
export function outcomeRegression(config: OutcomesConfig, records: readonly DecodedRecord[]): OutcomesResults["regression"] {
  const complete = records.filter((r) => config.analysisCohorts.includes(r.cohort) && isCompleteCase(config, r));
  if (complete.length === 0) return null;
  const predictors = config.predictors.map((id) => config.variables.find((v) => v.id === id)!);
  const terms = predictors.flatMap((variable) =>
    variable.levels.filter((level) => level.id !== variable.reference && complete.some((r) => r.levels.get(variable.id) === level.id)).map((level) => ({ variable, level })),
  );
  const X = complete.map((r) => [1, ...terms.map((t) => (r.levels.get(t.variable.id) === t.level.id ? 1 : 0))]);
  const y: number[] = complete.map((r) => (r.outcome === OUTCOME.unsuccessful ? 1 : 0));
  const names = ["(Intercept)", ...terms.map((t) => `${t.variable.label}: ${t.level.label}`)];
  const events = y.reduce((a, b) => a + b, 0);
  const parameters = X[0]!.length;
  const { fit, why } = choose(config, X, y, names, events, parameters);
  return {
    method: fit.method,
    why,
    records: complete.length,
    events,
    parameters,
    converged: fit.converged,
    deviance: fit.deviance,
    warnings: fit.warnings,
    terms: terms.map((t, i) => term(t.variable, t.level.id, fit, i + 1)),
  };
}

function choose(config: OutcomesConfig, X: number[][], y: number[], names: string[], events: number, parameters: number): { fit: LogisticFit; why: string } {
  if (config.firth === "always") return { fit: logisticRegression(X, y, { firth: true, names }), why: "the cycle asks for Firth's correction" };
  const ml = logisticRegression(X, y, { names });
  if (config.firth === "never") return { fit: ml, why: "the cycle asks for maximum likelihood" };
  if (ml.separated.length > 0) {
    const which = ml.separated.map((j) => names[j]!).join(", ");
    return { fit: logisticRegression(X, y, { firth: true, names }), why: `of separation: ${which} ${ml.separated.length === 1 ? "has" : "have"} no finite maximum-likelihood estimate (a level with no unsuccessful completion, or one that splits the outcomes)` };
  }
  if (!ml.converged) return { fit: logisticRegression(X, y, { firth: true, names }), why: `maximum likelihood did not converge: ${ml.warnings.join("; ")}` };
  const perParameter = events / parameters;
  if (perParameter < config.minimumEventsPerParameter) {
    return { fit: logisticRegression(X, y, { firth: true, names }), why: `events are rare: ${events} unsuccessful completions for ${parameters} parameters (${perParameter.toFixed(1)} per parameter, under ${config.minimumEventsPerParameter}), where maximum likelihood overstates odds ratios` };
  }
  return { fit: ml, why: `events are plentiful (${events} for ${parameters} parameters) and nothing is separated` };
}

function term(variable: OutcomeVariable, levelId: string, fit: LogisticFit, column: number): RegressionTerm {
  const level = variable.levels.find((l) => l.id === levelId)!;
  const reference = variable.levels.find((l) => l.id === variable.reference)!;
  const finite = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? null : value);
  const oddsRatio = finite(fit.oddsRatios[column]);
  const p = finite(fit.p[column]);
  const lower = finite(fit.lower95[column]);
  const upper = finite(fit.upper95[column]);
  return {
    variable: variable.id,
    variableLabel: variable.label,
    level: level.id,
    label: level.label,
    reference: reference.id,
    referenceLabel: reference.label,
    coefficient: finite(fit.coefficients[column]),
    standardError: finite(fit.standardErrors[column]),
    oddsRatio,
    lower95: lower,
    upper95: upper,
    p,
    sentence: oddsRatio === null ? `No estimate for ${phrase(variable, level.label)}.` : sentence(phrase(variable, level.label), phrase(variable, reference.label), oddsRatio, lower, upper, p),
  };
}

/**
 * "Male NQSWs were 3.5 times as likely to be unsuccessful as female NQSWs (odds ratio, 95%
 * interval 1.5 to 8.3; p = 0.004)". With outcomes this rare the odds ratio is close to the
 * ratio of the chances, so it is read as "times as likely".
 */
export function sentence(who: string, against: string, oddsRatio: number, lower: number | null, upper: number | null, p: number | null): string {
  const times = oddsRatio >= 1 ? `${oddsRatio.toFixed(1)} times as likely` : `${oddsRatio.toFixed(2)} times as likely (less likely)`;
  const interval = lower !== null && upper !== null ? `95% interval ${lower.toFixed(1)} to ${upper.toFixed(1)}` : "no interval";
  const significance = p === null ? "" : p < 0.001 ? "; p < 0.001" : `; p = ${p.toFixed(3)}${p >= 0.05 ? ", not statistically significant" : ""}`;
  return `${capitalise(who)} were ${times} to be unsuccessful as ${against}, other characteristics being equal (odds ratio, ${interval}${significance}).`;
}

function phrase(variable: OutcomeVariable, label: string): string {
  // "NHS" and "PVI" keep their capitals; "Male" becomes "male".
  const lower = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  return variable.phrase.replace("{lower}", lower).replace("{label}", label);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
