import { z } from "zod";

/** Outcome codes in a normalized record. */
export const OUTCOME = { pending: 0, successful: 1, unsuccessful: 2 } as const;

/**
 * A normalized outcomes batch (`personal/records/…`, personal data, encrypted, expiring):
 * per record `[cohort, employer, outcome, ...levels]` where cohort is an index into `cohorts`,
 * employer an index into `employers`, outcome one of {@link OUTCOME}, and one level per
 * variable (0 = not known, k + 1 = the k-th level). No NQSW id, name or date of birth is kept.
 */
export const outcomeBatchSchema = z.object({
  format: z.literal("asye-outcomes-v1"),
  cycleId: z.string(),
  slot: z.string(),
  uploadKey: z.string(),
  cohorts: z.array(z.string()),
  variables: z.array(z.object({ id: z.string(), levels: z.array(z.string()) })),
  employers: z.array(z.string()),
  records: z.array(z.array(z.number().int().nonnegative())),
  /**
   * When the export has registration dates: the financial year (April to March) of each
   * record's, as `codes[i]` = 0 (no date) or k + 1 (the k-th of `financialYears`). Only the
   * year is kept, never the date.
   */
  registered: z.object({ financialYears: z.array(z.string()), codes: z.array(z.number().int().nonnegative()) }).optional(),
});

/** A normalized outcomes batch. */
export type OutcomeBatch = z.infer<typeof outcomeBatchSchema>;

/**
 * Counts kept apart from the records (`aggregates/…`, no personal data, never expire): per
 * cohort, registrations, and per variable and level the successful, unsuccessful and pending
 * outcomes. Trends come from these once the records are gone.
 */
export const outcomeAggregatesSchema = z.object({
  format: z.literal("asye-outcome-aggregates-v1"),
  cycleId: z.string(),
  uploadKey: z.string(),
  cohorts: z.record(
    z.string(),
    z.object({
      registrations: z.number().int(),
      variables: z.record(z.string(), z.record(z.string(), z.object({ successful: z.number().int(), unsuccessful: z.number().int(), pending: z.number().int() }))),
    }),
  ),
});

/** Counts by cohort × characteristic × outcome. */
export type OutcomeAggregates = z.infer<typeof outcomeAggregatesSchema>;

/** The level id of `"unknown"` in aggregates. */
export const UNKNOWN_LEVEL = "not-known";

/**
 * Aggregates of a batch's records: what stays after the records expire. With `only` (the
 * analysed service area), of that level's records alone, as the trends are.
 */
export function aggregateRecords(batch: OutcomeBatch, only?: { variable: string; level: string }): OutcomeAggregates {
  const cohorts: OutcomeAggregates["cohorts"] = {};
  const v = only ? batch.variables.findIndex((variable) => variable.id === only.variable) : -1;
  const code = v < 0 ? 0 : batch.variables[v]!.levels.indexOf(only!.level) + 1;
  for (const record of batch.records) {
    if (v >= 0 && record[3 + v] !== code) continue;
    const cohort = batch.cohorts[record[0]!]!;
    const entry = (cohorts[cohort] ??= { registrations: 0, variables: {} });
    entry.registrations++;
    const outcome = record[2] === OUTCOME.successful ? "successful" : record[2] === OUTCOME.unsuccessful ? "unsuccessful" : "pending";
    batch.variables.forEach((variable, v) => {
      const code = record[3 + v]!;
      const level = code === 0 ? UNKNOWN_LEVEL : variable.levels[code - 1]!;
      const counts = ((entry.variables[variable.id] ??= {})[level] ??= { successful: 0, unsuccessful: 0, pending: 0 });
      counts[outcome]++;
    });
  }
  return { format: "asye-outcome-aggregates-v1", cycleId: batch.cycleId, uploadKey: batch.uploadKey, cohorts };
}
