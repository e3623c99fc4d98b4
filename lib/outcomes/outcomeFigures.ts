import { wilsonInterval } from "../stats/wilsonInterval.ts";
import { OUTCOME, type OutcomeAggregates, type OutcomeBatch } from "./outcomeRecords.ts";
import type { OutcomesConfig } from "./outcomesConfig.ts";
import type { OutcomesResults, UnsuccessfulRate } from "./outcomesResultsSchema.ts";
import { registrationsByArea, registrationsByFinancialYear } from "./registrationShares.ts";

/** A record with its cohort and variables by id, decoded from a batch. */
export interface DecodedRecord {
  cohort: string;
  employer: string;
  outcome: number;
  /** Level id per variable id; undefined when not known. */
  levels: Map<string, string | undefined>;
  /** The financial year of its registration date; undefined when not known. */
  registeredIn?: string;
}

/** The records of the current batches, decoded. */
export function decodeRecords(batches: readonly OutcomeBatch[]): DecodedRecord[] {
  return batches.flatMap((batch) =>
    batch.records.map((record, i) => {
      const registered = batch.registered?.codes[i] ?? 0;
      return {
        cohort: batch.cohorts[record[0]!]!,
        employer: batch.employers[record[1]!]!,
        outcome: record[2]!,
        levels: new Map(batch.variables.map((variable, v) => [variable.id, record[3 + v]! === 0 ? undefined : variable.levels[record[3 + v]! - 1]])),
        ...(registered === 0 ? {} : { registeredIn: batch.registered!.financialYears[registered - 1]! }),
      };
    }),
  );
}

/**
 * The records Appendices 1 and 2 cover: with `serviceAreas`, those of the analysed service area
 * (child and family) alone, a record whose service area is not known in none; else all.
 */
export function analysedRecords(config: OutcomesConfig, records: readonly DecodedRecord[]): DecodedRecord[] {
  const areas = config.serviceAreas;
  return areas ? records.filter((r) => r.levels.get(areas.variable) === areas.analysed) : [...records];
}

/** A complete case: its outcome is known and every predictor is known. */
export function isCompleteCase(config: OutcomesConfig, record: DecodedRecord): boolean {
  return record.outcome !== OUTCOME.pending && config.predictors.every((id) => record.levels.get(id) !== undefined);
}

/**
 * Appendix 1: registrations by cohort and by the financial year of their registration date, and
 * the registration cohort's by employer type, region and wider area, with employer counts.
 */
export function registrations(config: OutcomesConfig, records: readonly DecodedRecord[]): OutcomesResults["registrations"] {
  if (records.length === 0) return null;
  const inCohort = records.filter((r) => r.cohort === config.registrationCohort);
  const by = (variableId: string) => {
    const variable = config.variables.find((v) => v.id === variableId)!;
    return variable.levels.map((level) => {
      const own = inCohort.filter((r) => r.levels.get(variableId) === level.id);
      return { level: level.id, label: level.label, employers: new Set(own.map((r) => r.employer)).size, nqsws: own.length };
    });
  };
  return {
    byCohort: config.cohorts.map((cohort) => ({ cohort, nqsws: records.filter((r) => r.cohort === cohort).length })),
    cohort: config.registrationCohort,
    total: { nqsws: inCohort.length, employers: new Set(inCohort.map((r) => r.employer)).size },
    byEmployerType: by(config.registrationBy.employerType),
    byRegion: by(config.registrationBy.region),
    byArea: registrationsByArea(config, inCohort),
    ...registrationsByFinancialYear(records),
  };
}

/** Appendix 2's counts: records of the analysis cohorts, complete cases, and the pass/fail split. */
export function analysisCounts(config: OutcomesConfig, records: readonly DecodedRecord[]): OutcomesResults["analysis"] {
  const analysed = records.filter((r) => config.analysisCohorts.includes(r.cohort));
  if (analysed.length === 0) return null;
  const complete = analysed.filter((r) => isCompleteCase(config, r));
  const unsuccessful = complete.filter((r) => r.outcome === OUTCOME.unsuccessful).length;
  const percent = (n: number) => (complete.length === 0 ? null : Math.round((1000 * n) / complete.length) / 10);
  return {
    records: analysed.length,
    byCohort: config.analysisCohorts.map((cohort) => ({ cohort, records: analysed.filter((r) => r.cohort === cohort).length })),
    completeCases: complete.length,
    successful: complete.length - unsuccessful,
    unsuccessful,
    successfulPercentage: percent(complete.length - unsuccessful),
    unsuccessfulPercentage: percent(unsuccessful),
  };
}

/** The suppression rule's reason, for the results and the report. */
export const SUPPRESSION_WHY =
  "An unsuccessful ASYE is a sensitive outcome about a person. A rate is shown only when its group has enough complete cases (the base) and at least the minimum number of unsuccessful completions: with one or two, colleagues or an employer could tell who; with none, the rate says of every member that they passed. Because the total is published, when one group's rate is withheld the next smallest is withheld too, until the withheld groups together reach both minimums: otherwise subtraction would give it away.";

/**
 * Rates of unsuccessful completion for the levels of one variable (base and events given),
 * with Wilson intervals, suppressed by the cycle's rule and complementary suppression.
 */
export function rateFigures(config: OutcomesConfig, levels: readonly { level: string; label: string; base: number; events: number }[]): UnsuccessfulRate[] {
  const { minimumBase, minimumEvents } = config.suppression;
  const state = levels.map((l) => ({ ...l, hidden: l.base < minimumBase || l.events < minimumEvents, reason: `fewer than ${minimumBase} complete cases or fewer than ${minimumEvents} unsuccessful completions` }));
  const hiddenTotals = () => state.filter((s) => s.hidden).reduce((t, s) => ({ base: t.base + s.base, events: t.events + s.events }), { base: 0, events: 0 });
  if (state.some((s) => s.hidden)) {
    const candidates = state.filter((s) => !s.hidden && s.base > 0).sort((a, b) => a.events - b.events || a.base - b.base);
    // Withheld rates together must reach both minimums, and not all be unsuccessful (every one of them would be known).
    const unprotected = () => hiddenTotals().events < minimumEvents || hiddenTotals().base < minimumBase || hiddenTotals().events === hiddenTotals().base;
    while (unprotected() && candidates.length > 0) {
      const next = candidates.shift()!;
      next.hidden = true;
      next.reason = "withheld so that a smaller group's rate cannot be worked out from the total";
    }
  }
  return state.map((s) => {
    if (s.hidden || s.base === 0) {
      return { level: s.level, label: s.label, base: null, unsuccessful: null, proportion: null, percentage: null, lower95: null, upper95: null, suppressed: s.hidden, ...(s.hidden ? { reason: s.reason } : {}) };
    }
    const interval = wilsonInterval(s.events, s.base);
    return {
      level: s.level,
      label: s.label,
      base: s.base,
      unsuccessful: s.events,
      proportion: s.events / s.base,
      percentage: Math.round((1000 * s.events) / s.base) / 10,
      lower95: Math.round(1000 * interval.lower) / 10,
      upper95: Math.round(1000 * interval.upper) / 10,
      suppressed: false,
    };
  });
}

/** Unsuccessful rates by each `rates` variable over the complete cases of the analysis cohorts. */
export function unsuccessfulRates(config: OutcomesConfig, records: readonly DecodedRecord[]): OutcomesResults["rates"] {
  const complete = records.filter((r) => config.analysisCohorts.includes(r.cohort) && isCompleteCase(config, r));
  if (complete.length === 0) return [];
  return config.rates.map((id) => {
    const variable = config.variables.find((v) => v.id === id)!;
    const levels = variable.levels.map((level) => {
      const own = complete.filter((r) => r.levels.get(id) === level.id);
      return { level: level.id, label: level.label, base: own.length, events: own.filter((r) => r.outcome === OUTCOME.unsuccessful).length };
    });
    return { variable: id, label: variable.label, levels: rateFigures(config, levels) };
  });
}

/** Unsuccessful rates by cohort and level, from the aggregates: every record with a known level and outcome. */
export function trends(config: OutcomesConfig, aggregates: readonly OutcomeAggregates[]): OutcomesResults["trends"] {
  const cohorts = [...new Set(aggregates.flatMap((a) => Object.keys(a.cohorts)))].sort();
  return config.rates.map((id) => {
    const variable = config.variables.find((v) => v.id === id)!;
    return {
      variable: id,
      label: variable.label,
      cohorts: cohorts
        .map((cohort) => {
          const levels = variable.levels.map((level) => {
            let base = 0;
            let events = 0;
            for (const a of aggregates) {
              const counts = a.cohorts[cohort]?.variables[id]?.[level.id];
              if (counts) {
                base += counts.successful + counts.unsuccessful;
                events += counts.unsuccessful;
              }
            }
            return { level: level.id, label: level.label, base, events };
          });
          return { cohort, levels: rateFigures(config, levels), known: levels.some((l) => l.base > 0) };
        })
        .filter((entry) => entry.known)
        .map(({ cohort, levels }) => ({ cohort, levels })),
    };
  });
}

