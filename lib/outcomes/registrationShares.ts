import type { OutcomesConfig } from "./outcomesConfig.ts";
import type { DecodedRecord } from "./outcomeFigures.ts";
import type { OutcomesResults } from "./outcomesResultsSchema.ts";

type Registrations = NonNullable<OutcomesResults["registrations"]>;

/**
 * Parts of a total as whole percentages. `half-up` rounds each on its own (they may add to 99
 * or 101); `largest-remainder` (Hamilton's method) rounds each down, then gives the points left
 * to the largest remainders, so they add to their share of the total rounded (100 when the
 * parts make the total; ties go to the earlier part).
 * @example wholePercentages([957, 743, 899], 2599, "half-up") // [37, 29, 35]
 * @example wholePercentages([957, 743, 899], 2599, "largest-remainder") // [37, 28, 35]
 */
export function wholePercentages(counts: readonly number[], total: number, rounding: "half-up" | "largest-remainder"): number[] {
  if (total === 0) return counts.map(() => 0);
  if (rounding === "half-up") return counts.map((n) => Math.floor((100 * n) / total + 0.5));
  const floors = counts.map((n) => Math.floor((100 * n) / total));
  // Remainders compared exactly, in integers: (100 n) mod total.
  const order = counts.map((n, i) => ({ i, remainder: (100 * n) % total })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  const target = Math.floor((100 * counts.reduce((a, b) => a + b, 0)) / total + 0.5);
  let left = target - floors.reduce((a, b) => a + b, 0);
  for (const { i, remainder } of order) {
    if (left === 0 || remainder === 0) break;
    floors[i]!++;
    left--;
  }
  return floors;
}

/** The registration cohort's NQSWs by the cycle's wider areas, each with its unrounded share and its whole percentage as the cycle rounds them. */
export function registrationsByArea(config: OutcomesConfig, inCohort: readonly DecodedRecord[]): Registrations["byArea"] {
  const areas = config.registrationBy.areas;
  const counts = areas.map((area) => inCohort.filter((r) => area.regions.includes(r.levels.get(config.registrationBy.region) ?? "")).length);
  const percentages = wholePercentages(counts, inCohort.length, config.registrationBy.areaRounding);
  return areas.map((area, i) => ({
    area: area.id,
    label: area.label,
    regions: area.regions,
    nqsws: counts[i]!,
    proportion: inCohort.length === 0 ? 0 : counts[i]! / inCohort.length,
    percentage: percentages[i]!,
  }));
}

/** Registrations by the financial year (April to March) of their registration date, oldest first, and how many records have no date (all of them when the export has none). */
export function registrationsByFinancialYear(records: readonly DecodedRecord[]): Pick<Registrations, "byFinancialYear" | "withoutRegistrationDate"> {
  const counts = new Map<string, number>();
  let without = 0;
  for (const record of records) {
    if (record.registeredIn === undefined) without++;
    else counts.set(record.registeredIn, (counts.get(record.registeredIn) ?? 0) + 1);
  }
  const byFinancialYear = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([financialYear, nqsws]) => ({ financialYear, nqsws }));
  return { byFinancialYear, withoutRegistrationDate: without };
}
