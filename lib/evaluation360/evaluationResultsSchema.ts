import { z } from "zod";

const band = z.enum(["red", "amber", "green"]);

/** A figure that may be withheld: the value (one decimal) and the unrounded mean, or why not. */
const withheldOr = z.object({
  value: z.number().nullable(),
  unrounded: z.number().nullable(),
  /** Ratings (or organisations) behind the figure; null when showing it would reveal a withheld one. */
  n: z.number().int().nullable(),
  suppressed: z.boolean(),
  reason: z.string().optional(),
});

const cycleSchema = z.object({
  id: z.string(),
  title: z.string(),
  previousCycleId: z.string().optional(),
  previousCycleTitle: z.string().optional(),
  /** Responses submitted after this date are left out. */
  submittedBy: z.string().optional(),
});

const provenanceSchema = z.object({
  generation: z.number().int(),
  computedAt: z.string(),
  codeVersion: z.string(),
  uploads: z.array(z.object({ slot: z.string(), key: z.string(), etag: z.string(), checksum: z.string(), accepted: z.number().int() })),
});

/** The national figures of one statement, this year and last (Appendix 4's tables). */
const statementSchema = z.object({
  number: z.number().int(),
  theme: z.string(),
  text: z.string(),
  /** Included organisations with a score on the statement. */
  organisations: z.number().int(),
  /** The mean of the included organisations' scores, to one decimal as published. */
  nationalAverage: z.number().nullable(),
  /** The lowest and highest organisation score, to one decimal. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  rag: band.nullable(),
  unrounded: z.object({ nationalAverage: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() }),
  /** Organisations scored 0 because none of their respondents rated the statement (`unrated: "zero"`). */
  zeroScores: z.number().int(),
  previous: z.object({ nationalAverage: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() }).nullable(),
  /** This year's average minus last year's, as shown (one decimal each). */
  change: z.number().nullable(),
});

const themeSchema = z.object({
  id: z.string(),
  title: z.string(),
  statements: z.array(z.number().int()),
  bands: z.object({ red: z.number().int(), amber: z.number().int(), green: z.number().int() }),
  lowestAverage: z.number().nullable(),
  highestAverage: z.number().nullable(),
  /** A sentence for the report, e.g. "Six of the eight statements scored at least 3.6 …". */
  summary: z.string(),
});

const regionSchema = z.object({
  region: z.string(),
  organisations: z.number().int(),
  suppressed: z.boolean(),
  reason: z.string().optional(),
  /** Per statement number, the region's mean organisation score (null when withheld). */
  averages: z.record(z.string(), z.number().nullable()),
});

/** The national results of a 360 cycle: `results/{cycle}/results.json`. */
export const evaluationResultsSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal("evaluation360"),
  cycle: cycleSchema,
  rules: z.object({
    nationalAverage: z.string(),
    inclusion: z.object({ selfAssessment: z.string(), minimumOtherRespondents: z.number().int(), submittedBy: z.string().optional() }),
    minimumRespondentsPerType: z.number().int(),
    minimumOrganisationsPerRegion: z.number().int(),
    unrated: z.enum(["excluded", "zero"]),
    rag: z.array(z.object({ id: band, label: z.string(), from: z.number() })),
  }),
  organisations: z.object({
    registered: z.number().int(),
    included: z.number().int(),
    /** Sent something but did not meet the criteria, by reason. */
    excluded: z.number().int(),
    excludedBecause: z.object({ noSelfAssessment: z.number().int(), tooFewOtherRespondents: z.number().int() }),
    /** Registered but sent nothing. */
    withoutData: z.number().int(),
    responsesCounted: z.number().int(),
    lateResponsesLeftOut: z.number().int(),
  }),
  statements: z.array(statementSchema),
  themes: z.array(themeSchema),
  regions: z.array(regionSchema),
  /** The personalised report of each included organisation, under `organisations/`. */
  organisationReports: z.array(z.object({ id: z.string(), json: z.string(), html: z.string(), pdf: z.string().optional() })),
  provenance: provenanceSchema,
});

/** The national results of a 360 cycle. */
export type EvaluationResults = z.infer<typeof evaluationResultsSchema>;
export type NationalStatement = z.infer<typeof statementSchema>;

/** One organisation's personalised results: `organisations/{id}.json` beside the national results. */
export const organisationResultsSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal("evaluation360-organisation"),
  cycle: cycleSchema,
  organisation: z.object({ id: z.string(), name: z.string(), region: z.string().optional() }),
  respondents: z.array(z.object({ type: z.string(), label: z.string(), count: z.number().int().nullable(), suppressed: z.boolean() })),
  /** Respondent types by id, in the cycle's order, with their labels. */
  statements: z.array(
    z.object({
      number: z.number().int(),
      theme: z.string(),
      text: z.string(),
      score: withheldOr,
      rag: band.nullable(),
      byType: z.array(withheldOr.extend({ type: z.string() })),
      national: z.number().nullable(),
      regional: z.number().nullable(),
      /** The organisation's score last year (one decimal), when it was included then. */
      previous: z.number().nullable(),
      change: z.number().nullable(),
    }),
  ),
  themes: z.array(z.object({ id: z.string(), title: z.string(), score: z.number().nullable(), national: z.number().nullable() })),
  /** Statements furthest above the national average (up to five), and furthest below it. */
  strengths: z.array(z.number().int()),
  developmentAreas: z.array(z.number().int()),
  minimumRespondentsPerType: z.number().int(),
  provenance: provenanceSchema.pick({ generation: true, computedAt: true, codeVersion: true }),
});

/** One organisation's personalised results. */
export type OrganisationResults = z.infer<typeof organisationResultsSchema>;
