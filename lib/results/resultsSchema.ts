import { z } from "zod";

/** Version of the results document's shape; bump on any breaking change. */
export const RESULTS_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();

/** A share shown to readers: numerator, base, unrounded proportion and display percentage. */
export const shownShareSchema = z.object({
  suppressed: z.literal(false),
  n: count.describe("numerator: respondents in the positive categories (or who chose the option)"),
  base: count.describe("base n: valid answers, excluding blanks and categories outside the base"),
  proportion: z.number().min(0).max(1).describe("n / base, unrounded"),
  percentage: z.number().int().min(0).max(100).describe("100 x proportion, rounded half up"),
});

/** A figure withheld to protect small bases; it carries nothing that reveals the hidden number. */
export const suppressedSchema = z.object({
  suppressed: z.literal(true),
  reason: z.enum(["base-below-threshold", "complementary", "nothing-to-average"]),
  note: z.string(),
});

export const shareSchema = z.discriminatedUnion("suppressed", [shownShareSchema, suppressedSchema]);

const categoryCountSchema = z.object({
  label: z.string(),
  n: count,
  inBase: z.boolean(),
  positive: z.boolean(),
});

const itemGroupSchema = z.object({
  group: z.string(),
  share: shareSchema,
  /** Counts per category and blanks; null when the group's figure is suppressed. */
  categories: z.array(categoryCountSchema).nullable(),
  blank: count.nullable(),
});

const itemSchema = z.object({
  id: z.string(),
  text: z.string(),
  scale: z.string(),
  positiveLabels: z.array(z.string()),
  excludedFromBase: z.array(z.string()),
  groups: z.array(itemGroupSchema),
  /** All groups asked, combined; null when only one group is asked. */
  allGroups: z.object({ groups: z.array(z.string()), share: shareSchema }).nullable(),
});

const averageSchema = z.discriminatedUnion("suppressed", [
  z.object({
    suppressed: z.literal(false),
    proportion: z.number().min(0).max(1).describe("mean of the shown items' unrounded proportions"),
    percentage: z.number().int().min(0).max(100),
    itemsAveraged: z.array(z.string()),
  }),
  suppressedSchema,
]);

const itemSetSchema = z.object({
  id: z.string(),
  title: z.string(),
  items: z.array(z.string()),
  groups: z.array(
    z.object({
      group: z.string(),
      average: averageSchema,
      itemsLeftOut: z.array(z.object({ item: z.string(), reason: z.string() })),
    }),
  ),
});

const rankedOptionSchema = z.object({
  id: z.string(),
  label: z.string(),
  n: count,
  base: count,
  proportion: z.number().min(0).max(1),
  percentage: z.number().int().min(0).max(100),
  rank: z.number().int().positive().describe("competition ranking: ties share a rank (1, 2, 2, 4)"),
  previousRank: z.number().int().positive().nullable(),
  rankChange: z.number().int().nullable().describe("previousRank - rank: positive means moved up"),
});

const rankingScopeSchema = z.object({
  scope: z.string().describe("a group id, or 'all' for all groups asked combined"),
  groups: z.array(z.string()),
  respondents: z
    .discriminatedUnion("suppressed", [
      z.object({
        suppressed: z.literal(false),
        base: count.describe("respondents who answered the question"),
      }),
      suppressedSchema,
    ])
    .describe("the base of every option's percentage"),
  options: z.array(rankedOptionSchema).describe("ranked high to low; empty when suppressed"),
});

const rankingSchema = z.object({
  id: z.string(),
  text: z.string(),
  previousCycleId: z.string().nullable(),
  scopes: z.array(rankingScopeSchema),
});

const responseRateSchema = z.object({
  group: z.string(),
  label: z.string(),
  delivered: count,
  childAndFamilyOnly: count,
  both: count,
  responses: count,
  proportion: z.number().min(0),
  percentage: z.number().int().min(0),
});

const uploadProvenanceSchema = z.object({
  group: z.string(),
  key: z.string(),
  etag: z.string(),
  checksum: z.string(),
  uploadedAt: z.string(),
  rows: count,
  accepted: count,
  rejected: count,
  duplicates: count,
});

/** The results document written to `results/{cycleId}/results.json`. */
export const resultsDocumentSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  cycle: z.object({
    id: z.string(),
    title: z.string(),
    previousCycleId: z.string().nullable(),
    timezone: z.string(),
    opens: z.string(),
    closes: z.string(),
  }),
  status: z.enum(["provisional", "final"]).describe("provisional while the survey is open"),
  answersPublished: z
    .boolean()
    .describe("false before the close date: only response counts are given"),
  suppressionThreshold: z.number().int().positive(),
  responseRates: z.object({ groups: z.array(responseRateSchema), total: responseRateSchema }),
  items: z.array(itemSchema),
  itemSets: z.array(itemSetSchema),
  rankings: z.array(rankingSchema),
  provenance: z.object({
    uploads: z.array(uploadProvenanceSchema),
    codeVersion: z.string(),
    computedAt: z.string(),
  }),
});

export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;
export type Share = z.infer<typeof shareSchema>;
export type ShownShare = z.infer<typeof shownShareSchema>;
export type Suppressed = z.infer<typeof suppressedSchema>;
export type ItemResult = z.infer<typeof itemSchema>;
export type ItemSetResult = z.infer<typeof itemSetSchema>;
export type RankingResult = z.infer<typeof rankingSchema>;
export type RankingScope = z.infer<typeof rankingScopeSchema>;
export type ResponseRate = z.infer<typeof responseRateSchema>;
