import { z } from "zod";

/** A rate of unsuccessful completion: shown, or withheld with the reason (no number that would reveal it). */
const rateSchema = z.object({
  level: z.string(),
  label: z.string(),
  /** Complete cases in the level (null when withheld). */
  base: z.number().int().nullable(),
  unsuccessful: z.number().int().nullable(),
  /** Unrounded proportion, the percentage to one decimal, and the Wilson 95% interval (percent). */
  proportion: z.number().nullable(),
  percentage: z.number().nullable(),
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
  suppressed: z.boolean(),
  reason: z.string().optional(),
});

/** A share of a service area's NQSWs with a characteristic's level (Figures 5 and 6): shown, or withheld with the reason. */
const shareSchema = z.object({
  level: z.string(),
  label: z.string(),
  /** NQSWs whose characteristic is known, and those of them with the level (null when withheld). */
  base: z.number().int().nullable(),
  count: z.number().int().nullable(),
  proportion: z.number().nullable(),
  /** To one decimal. */
  percentage: z.number().nullable(),
  suppressed: z.boolean(),
  reason: z.string().optional(),
});

/** One term of the regression: a level against its variable's reference level. */
const termSchema = z.object({
  variable: z.string(),
  /** The characteristic and the reference level as readers know them (older results: absent, the ids stand). */
  variableLabel: z.string().optional(),
  level: z.string(),
  label: z.string(),
  reference: z.string(),
  referenceLabel: z.string().optional(),
  coefficient: z.number().nullable(),
  standardError: z.number().nullable(),
  oddsRatio: z.number().nullable(),
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
  p: z.number().nullable(),
  /** The finding in plain words. */
  sentence: z.string(),
});

/** The results of an outcomes cycle: Appendices 1 and 2 of the annual report. */
export const outcomesResultsSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal("outcomes"),
  cycle: z.object({ id: z.string(), title: z.string(), analysisCohorts: z.array(z.string()), registrationCohort: z.string() }),
  rules: z.object({
    completeCase: z.string(),
    suppression: z.object({ minimumBase: z.number().int(), minimumEvents: z.number().int(), why: z.string() }),
    retentionYears: z.number().int(),
  }),
  registrations: z.object({
    byCohort: z.array(z.object({ cohort: z.string(), nqsws: z.number().int() })),
    cohort: z.string(),
    total: z.object({ nqsws: z.number().int(), employers: z.number().int() }),
    byEmployerType: z.array(z.object({ level: z.string(), label: z.string(), employers: z.number().int(), nqsws: z.number().int() })),
    byRegion: z.array(z.object({ level: z.string(), label: z.string(), employers: z.number().int(), nqsws: z.number().int() })),
    /** The cycle's wider areas (South, Midlands, North): their NQSWs and share of the cohort's (older results: absent). */
    byArea: z
      .array(
        z.object({
          area: z.string(),
          label: z.string(),
          /** Its regions' level ids (older results: absent). */
          regions: z.array(z.string()).default([]),
          nqsws: z.number().int(),
          /** Its share of the cohort's registrations, unrounded (older results: absent). */
          proportion: z.number().optional(),
          /** Its share as a whole percentage, rounded as the cycle says (`registrationBy.areaRounding`). */
          percentage: z.number().int(),
        }),
      )
      .default([]),
    /** By the financial year (April to March) of the registration date, oldest first (older results, or an export without dates: empty). */
    byFinancialYear: z.array(z.object({ financialYear: z.string(), nqsws: z.number().int() })).default([]),
    /** Records with no registration date (not in byFinancialYear). */
    withoutRegistrationDate: z.number().int().default(0),
  }).nullable(),
  analysis: z.object({
    records: z.number().int(),
    byCohort: z.array(z.object({ cohort: z.string(), records: z.number().int() })),
    completeCases: z.number().int(),
    successful: z.number().int(),
    unsuccessful: z.number().int(),
    successfulPercentage: z.number().nullable(),
    unsuccessfulPercentage: z.number().nullable(),
  }).nullable(),
  rates: z.array(z.object({ variable: z.string(), label: z.string(), levels: z.array(rateSchema) })),
  /** Unsuccessful rates by cohort from the aggregates (kept after the records expire). */
  trends: z.array(z.object({ variable: z.string(), label: z.string(), cohorts: z.array(z.object({ cohort: z.string(), levels: z.array(rateSchema) })) })),
  regression: z
    .object({
      method: z.enum(["ml", "firth"]),
      why: z.string(),
      records: z.number().int(),
      events: z.number().int(),
      parameters: z.number().int(),
      converged: z.boolean(),
      deviance: z.number(),
      warnings: z.array(z.string()),
      terms: z.array(termSchema),
    })
    .nullable(),
  /**
   * Appendix 2's Figures 4-6, from the records of every service area (null when the cycle has no
   * service areas, or older results): unsuccessful rates by cohort and service area, and each
   * share (global majority, male) by cohort and service area.
   */
  serviceAreas: z
    .object({
      variable: z.string(),
      label: z.string(),
      analysed: z.string(),
      analysedLabel: z.string(),
      /** The characteristic whose known records Figure 4's rates count: the analysed area's rate is its trend's total. */
      rateBasis: z.string(),
      rateBasisLabel: z.string(),
      unsuccessful: z.array(z.object({ cohort: z.string(), levels: z.array(rateSchema) })),
      shares: z.array(z.object({ variable: z.string(), variableLabel: z.string(), level: z.string(), levelLabel: z.string(), title: z.string(), cohorts: z.array(z.object({ cohort: z.string(), areas: z.array(shareSchema) })) })),
    })
    .nullable()
    .default(null),
  /** Uploads whose records have expired: their counts remain in the trends, nothing else. */
  expiredRecords: z.array(z.string()),
  provenance: z.object({
    generation: z.number().int(),
    computedAt: z.string(),
    codeVersion: z.string(),
    uploads: z.array(z.object({ key: z.string(), checksum: z.string(), accepted: z.number().int(), recordsKept: z.boolean() })),
  }),
});

/** The results of an outcomes cycle. */
export type OutcomesResults = z.infer<typeof outcomesResultsSchema>;
export type UnsuccessfulRate = z.infer<typeof rateSchema>;
export type RegressionTerm = z.infer<typeof termSchema>;
export type ServiceAreaShare = z.infer<typeof shareSchema>;
