import { type DecodedRecord, rateFigures } from "./outcomeFigures.ts";
import { OUTCOME } from "./outcomeRecords.ts";
import type { OutcomesConfig, OutcomeVariable } from "./outcomesConfig.ts";
import type { OutcomesResults, ServiceAreaShare, UnsuccessfulRate } from "./outcomesResultsSchema.ts";

type ServiceAreas = NonNullable<OutcomesResults["serviceAreas"]>;

/**
 * Appendix 2's Figures 4-6 from the records of every service area: per cohort and service area
 * the unsuccessful rate (over the records whose outcome and `rateBasis` characteristic are
 * known, under the sensitive-outcome rule), and each configured share (global majority, male)
 * over the records whose characteristic is known, withheld under the minimum base. No total
 * across service areas is published, so each service area's figure stands alone; the analysed
 * area's rate is its `rateBasis` trend's total, which that trend's suppression already protects.
 */
export function serviceAreaComparison(config: OutcomesConfig, records: readonly DecodedRecord[]): OutcomesResults["serviceAreas"] {
  const areas = config.serviceAreas;
  if (!areas || records.length === 0) return null;
  const variable = variableOf(config, areas.variable);
  const rateBasis = areas.rateBasis ?? config.rates[0]!;
  return {
    variable: variable.id,
    label: variable.label,
    analysed: areas.analysed,
    analysedLabel: variable.levels.find((l) => l.id === areas.analysed)!.label,
    rateBasis,
    rateBasisLabel: variableOf(config, rateBasis).label,
    unsuccessful: unsuccessfulByServiceArea(config, records, variable, rateBasis),
    shares: areas.shares.map((share) => {
      const characteristic = variableOf(config, share.variable);
      const level = characteristic.levels.find((l) => l.id === share.level)!;
      const title = share.title ?? `% of ${level.label.toLowerCase()} NQSWs by ${variable.label.toLowerCase()}`;
      const cohorts = config.cohorts
        .map((cohort) => ({ cohort, areas: variable.levels.map((area) => shareOf(config, records, cohort, variable.id, area, characteristic.id, level.id)) }))
        .filter((entry) => entry.areas.some((a) => a.suppressed || a.base !== null));
      return { variable: characteristic.id, variableLabel: characteristic.label, level: level.id, levelLabel: level.label, title, cohorts };
    }),
  };
}

function variableOf(config: OutcomesConfig, id: string): OutcomeVariable {
  return config.variables.find((v) => v.id === id)!;
}

/** Figure 4: per cohort with a known outcome, each service area's unsuccessful rate on its own. */
function unsuccessfulByServiceArea(config: OutcomesConfig, records: readonly DecodedRecord[], variable: OutcomeVariable, rateBasis: string): ServiceAreas["unsuccessful"] {
  return config.cohorts
    .map((cohort) => {
      const known = records.filter((r) => r.cohort === cohort && r.outcome !== OUTCOME.pending && r.levels.get(rateBasis) !== undefined);
      const levels = variable.levels.map((area) => {
        const own = known.filter((r) => r.levels.get(variable.id) === area.id);
        return { level: area.id, label: area.label, base: own.length, events: own.filter((r) => r.outcome === OUTCOME.unsuccessful).length };
      });
      const rates: UnsuccessfulRate[] = levels.map((level) => rateFigures(config, [level])[0]!);
      return { cohort, levels: rates, known: levels.some((l) => l.base > 0) };
    })
    .filter((entry) => entry.known)
    .map(({ cohort, levels }) => ({ cohort, levels }));
}

/**
 * One cohort's and service area's share with a level, to one decimal; withheld under the minimum
 * base or when none or all have the level (0% or 100% would say each one's characteristic), and
 * absent (nulls) with no record.
 */
function shareOf(config: OutcomesConfig, records: readonly DecodedRecord[], cohort: string, areaVariable: string, area: { id: string; label: string }, variable: string, level: string): ServiceAreaShare {
  const known = records.filter((r) => r.cohort === cohort && r.levels.get(areaVariable) === area.id && r.levels.get(variable) !== undefined);
  const count = known.filter((r) => r.levels.get(variable) === level).length;
  const { minimumBase } = config.suppression;
  if (known.length === 0) return { level: area.id, label: area.label, base: null, count: null, proportion: null, percentage: null, suppressed: false };
  if (known.length < minimumBase) {
    return { level: area.id, label: area.label, base: null, count: null, proportion: null, percentage: null, suppressed: true, reason: `fewer than ${minimumBase} NQSWs whose characteristic is known` };
  }
  // None or all of them: the share would say each person's characteristic (0% or 100%).
  if (count === 0 || count === known.length) {
    return { level: area.id, label: area.label, base: null, count: null, proportion: null, percentage: null, suppressed: true, reason: "none or all of them: it would say each one's characteristic" };
  }
  return { level: area.id, label: area.label, base: known.length, count, proportion: count / known.length, percentage: Math.round((1000 * count) / known.length) / 10, suppressed: false };
}
