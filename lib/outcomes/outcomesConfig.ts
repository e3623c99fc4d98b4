import { z } from "zod";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { sourceSchema } from "../sources/sourceSchema.ts";

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes, starting with a letter or digit");

/** A financial year, as cohorts are named: `2023-24`. */
const financialYear = z.string().regex(/^\d{4}-\d{2}$/, "a financial year such as 2023-24");

/** One level of a characteristic and the values the platform's export writes for it. */
const levelSchema = z.strictObject({ id: slug, label: z.string().min(1), values: z.array(z.string().min(1)).min(1) });

/**
 * A characteristic of a record (gender, age band, ethnicity, nationality, region, deferrals,
 * employer type, service area): its export column, its levels, the level odds ratios are
 * against, and the values that mean "not known" (a record with one is not a complete case).
 */
const variableSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /**
   * How a level is named in sentences: `{lower}` is its label with a lower-case first letter,
   * `{label}` the label as written ("{lower} NQSWs": "male NQSWs"; "NQSWs in {label}": "NQSWs in London").
   */
  phrase: z.string().min(1).default("{lower} NQSWs"),
  column: z.string().min(1),
  levels: z.array(levelSchema).min(2),
  reference: slug,
  unknown: z.array(z.string()).default(["", "Not known", "Prefer not to say", "Unknown"]),
});

/** The registration platform's outcome records: one cycle file per annual report. */
const outcomesShape = z.strictObject({
  kind: z.literal("outcomes"),
  id: slug,
  title: z.string().min(1),
  timezone: z.string().min(1).default("Europe/London"),
  /** Which tool wrote the export (the survey's presets; the platform writes CSV or xlsx). */
  source: sourceSchema.default({ tool: "csv", columns: {} }),
  columns: z
    .strictObject({
      nqswId: z.string().min(1).default("nqsw_id"),
      cohort: z.string().min(1).default("cohort"),
      employer: z.string().min(1).default("employer"),
      outcome: z.string().min(1).default("outcome"),
      /**
       * The date the employer registered the NQSW (optional: without it there are no registrations
       * by financial year). Each cell a date (ISO, or slashed in the source's date order) or blank.
       */
      registrationDate: z.string().min(1).optional(),
    })
    .default({ nqswId: "nqsw_id", cohort: "cohort", employer: "employer", outcome: "outcome" }),
  /** Every cohort the export may hold, oldest first. */
  cohorts: z.array(financialYear).min(1),
  /** The cohorts the regression and the rates cover (the last three whose outcomes are known). */
  analysisCohorts: z.array(financialYear).min(1),
  /** The cohort whose registrations are tabulated (Appendix 1). */
  registrationCohort: financialYear,
  outcome: z
    .strictObject({
      successful: z.array(z.string().min(1)).min(1).default(["Successfully completed"]),
      unsuccessful: z.array(z.string().min(1)).min(1).default(["Unsuccessfully completed"]),
      /** Not yet known (in progress, deferred): not a complete case. */
      pending: z.array(z.string()).default(["", "In progress", "Deferred"]),
    })
    .default({ successful: ["Successfully completed"], unsuccessful: ["Unsuccessfully completed"], pending: ["", "In progress", "Deferred"] }),
  variables: z.array(variableSchema).min(1),
  /** The variables of the regression, in order. */
  predictors: z.array(slug).min(1),
  /** The variables whose unsuccessful rates are tabulated and kept as trends. */
  rates: z.array(slug).min(1),
  /** Which variables give the registration tables' employer type and region. */
  registrationBy: z.strictObject({
    employerType: slug,
    region: slug,
    /** Regions grouped into wider areas (the report's South / Midlands / North), each by the region levels' ids. */
    areas: z.array(z.strictObject({ id: slug, label: z.string().min(1), regions: z.array(slug).min(1) })).default([]),
    /**
     * How the areas' shares are rounded to whole per cent: each half up (they may add to 99 or
     * 101), or by largest remainder (the annual report's way: they add to 100).
     */
    areaRounding: z.enum(["half-up", "largest-remainder"]).default("half-up"),
  }),
  /**
   * Service areas (child and family, adult): which characteristic holds them, the one Appendices
   * 1 and 2 cover (registrations, counts, rates, regression and trends are of its records alone),
   * and what Appendix 2's Figures 4-6 compare across them.
   */
  serviceAreas: z
    .strictObject({
      variable: slug,
      analysed: slug,
      /**
       * Figure 4's rates count the records whose outcome and this characteristic (one of `rates`)
       * are known: the analysed service area's rate is then that characteristic's trend's total,
       * and gives nothing away that the trend does not (default: the first of `rates`).
       */
      rateBasis: slug.optional(),
      /** The shares compared by service area and cohort (Figures 5 and 6: global majority, male). */
      shares: z.array(z.strictObject({ variable: slug, level: slug, title: z.string().min(1).optional() })).default([]),
    })
    .optional(),
  /**
   * When a rate of unsuccessful completion is shown: its base needs `minimumBase` complete cases
   * and it needs `minimumEvents` unsuccessful completions, the sensitive-outcome minimum (default
   * 5: with fewer, colleagues or an employer who know a few NQSWs did not pass could tell who;
   * 5 is the smallest count of a sensitive outcome the ONS and NHS England publish).
   */
  suppression: z
    .strictObject({ minimumBase: z.number().int().positive().default(50), minimumEvents: z.number().int().positive().default(5) })
    .default({ minimumBase: 50, minimumEvents: 5 }),
  /** Firth's correction: always, never, or (default) when events are rare or the data are separated. */
  firth: z.enum(["auto", "always", "never"]).default("auto"),
  /** Under this many events per estimated parameter, events count as rare (Peduzzi et al.: 10). */
  minimumEventsPerParameter: z.number().positive().default(10),
  /** How long records are kept (the S3 lifecycle rule in sst.config.ts says the same): four years. */
  retentionYears: z.number().int().positive().default(4),
  minimumAcceptedShare: z.number().gt(0).max(1).default(0.8),
});

/** An outcomes cycle, checked across its fields. */
export const outcomesConfigSchema = outcomesShape.superRefine((cycle, ctx) => {
  const ids = new Set(cycle.variables.map((v) => v.id));
  const known = (id: string, path: (string | number)[]) => {
    if (!ids.has(id)) ctx.addIssue({ code: "custom", path, message: `unknown variable "${id}" (variables: ${[...ids].join(", ")})` });
  };
  cycle.predictors.forEach((id, i) => known(id, ["predictors", i]));
  cycle.rates.forEach((id, i) => known(id, ["rates", i]));
  known(cycle.registrationBy.employerType, ["registrationBy", "employerType"]);
  known(cycle.registrationBy.region, ["registrationBy", "region"]);
  if (cycle.serviceAreas) checkServiceAreas(cycle, ctx);
  cycle.analysisCohorts.forEach((c, i) => {
    if (!cycle.cohorts.includes(c)) ctx.addIssue({ code: "custom", path: ["analysisCohorts", i], message: `"${c}" is not one of the cohorts` });
  });
  if (!cycle.cohorts.includes(cycle.registrationCohort)) ctx.addIssue({ code: "custom", path: ["registrationCohort"], message: `"${cycle.registrationCohort}" is not one of the cohorts` });
  cycle.variables.forEach((variable, v) => {
    if (!variable.levels.some((level) => level.id === variable.reference)) ctx.addIssue({ code: "custom", path: ["variables", v, "reference"], message: `"${variable.reference}" is not one of the levels` });
    const seen = new Map<string, string>();
    variable.levels.forEach((level, l) => {
      for (const value of level.values) {
        const key = normalizeLabel(value);
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["variables", v, "levels", l, "values"], message: `"${value}" also means level "${seen.get(key)}"` });
        seen.set(key, level.id);
      }
    });
  });
});

/** The service areas' characteristic, analysed level, rate basis and shares name what exists. */
function checkServiceAreas(cycle: z.infer<typeof outcomesShape>, ctx: z.RefinementCtx): void {
  const areas = cycle.serviceAreas!;
  const levelOf = (variableId: string, level: string, path: (string | number)[], levelKey: string) => {
    const variable = cycle.variables.find((v) => v.id === variableId);
    if (!variable) ctx.addIssue({ code: "custom", path: [...path, "variable"], message: `unknown variable "${variableId}" (variables: ${cycle.variables.map((v) => v.id).join(", ")})` });
    else if (!variable.levels.some((l) => l.id === level)) ctx.addIssue({ code: "custom", path: [...path, levelKey], message: `"${level}" is not one of the levels of ${variableId} (${variable.levels.map((l) => l.id).join(", ")})` });
  };
  levelOf(areas.variable, areas.analysed, ["serviceAreas"], "analysed");
  if (areas.rateBasis !== undefined && !cycle.rates.includes(areas.rateBasis)) ctx.addIssue({ code: "custom", path: ["serviceAreas", "rateBasis"], message: `"${areas.rateBasis}" is not one of rates (${cycle.rates.join(", ")})` });
  areas.shares.forEach((share, i) => levelOf(share.variable, share.level, ["serviceAreas", "shares", i], "level"));
}

/** A validated outcomes cycle, with defaults filled in. */
export type OutcomesConfig = z.infer<typeof outcomesConfigSchema>;
export type OutcomeVariable = z.infer<typeof variableSchema>;
