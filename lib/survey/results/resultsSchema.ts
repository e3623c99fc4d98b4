import { z } from "zod";

/** Version of the results document's shape; bump on any breaking change. */
export const RESULTS_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();

/** Wilson score 95% interval of a proportion (R: prop.test(x, n, correct = FALSE)$conf.int). */
const intervalSchema = z.object({ lower: z.number().min(0).max(1), upper: z.number().min(0).max(1) });

/** A share shown to readers: numerator, base, unrounded proportion and display percentage. */
export const shownShareSchema = z.object({
  suppressed: z.literal(false),
  n: count.describe("numerator: respondents in the positive categories (or who chose the option)"),
  base: count.describe("base n: valid answers, excluding blanks and categories outside the base"),
  proportion: z.number().min(0).max(1).describe("n / base, unrounded"),
  percentage: z.number().int().min(0).max(100).describe("100 x proportion, rounded half up"),
  interval95: intervalSchema,
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
  percentage: z.number().int().min(0).max(100).nullable().default(null).describe("100 x n / base, rounded half up: the share of valid answers giving this answer (\"10% would not offer the ASYE\"); null for an answer outside the base"),
});

/** A group's share weighted to its population (beside the unweighted one, which decides suppression). */
const weightedShareSchema = z.object({
  proportion: z.number().min(0).max(1).describe("the weighted share positive over respondents in base (R: svymean on the raked design)"),
  percentage: z.number().int().min(0).max(100).describe("100 x proportion, rounded half up"),
  standardError: z.number().min(0).describe("linearisation, for the raked design (R: SE(svymean(...)) after rake)"),
  standardErrorWeightsAsGiven: z.number().min(0).describe("linearisation with the final weights taken as given (R: svydesign(ids = ~1, weights = ~w))"),
  interval95: intervalSchema.describe("svyciprop(method = \"logit\"): t quantile with df = base - 1"),
  intervalBeta95: intervalSchema.describe("svyciprop(method = \"beta\") (Korn and Graubard)"),
  designEffect: z.number().min(0).describe("Kish's design effect of the weights in base"),
  effectiveN: z.number().min(0).describe("Kish's effective sample size"),
});

const itemGroupSchema = z.object({
  group: z.string(),
  share: shareSchema,
  /** Counts per category and blanks; null when the group's figure is suppressed. */
  categories: z.array(categoryCountSchema).nullable(),
  blank: count.nullable(),
  weighted: weightedShareSchema.nullable().default(null).describe("weighted to the group's population where the cycle weights it and the unweighted share is shown; else null"),
});

/** How one group was weighted: the raking's sweeps and convergence, or why it could not be. */
const weightingSummarySchema = z.object({
  group: z.string(),
  margins: z.array(z.string()).describe("the subgroup variables raked to the population"),
  respondents: count,
  iterations: z.number().int().min(0).describe("raking sweeps run"),
  converged: z.boolean(),
  trimmed: z.boolean(),
  warnings: z.array(z.string()),
  error: z.string().nullable().describe("why the group could not be weighted (no weighted figures then), or null"),
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
  interval95: intervalSchema,
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
  deliveredFrom: z
    .enum(["cycle file", "recipient list"])
    .describe("recipient list: invitations sent minus bounces; otherwise the cycle file's count"),
  childAndFamilyOnly: count,
  both: count,
  notSplit: count
    .default(0)
    .describe("responses from an export without the service-area question: in responses, and in neither column before it"),
  responses: count,
  proportion: z.number().min(0).nullable().describe("responses / delivered, unrounded; null when the rate is not available (never over 1)"),
  percentage: z.number().int().min(0).nullable().describe("100 x proportion, rounded half up; null when the rate is not available (never over 100)"),
  interval95: intervalSchema.nullable().describe("null when the rate is not available"),
  notAvailable: z
    .string()
    .nullable()
    .default(null)
    .describe("why the rate is not given, or null: the recipient list (or the cycle file's delivered count) covers fewer people than responded, so the rate would be over 100%; the total is not given when any group's rate is not"),
});

const statisticalTestSchema = z.enum(["fisher-exact", "chi-square", "mann-whitney"]);

const pairwiseTestSchema = z.object({
  a: z.string(),
  b: z.string(),
  test: statisticalTestSchema,
  why: z.string().describe("why this test was chosen"),
  statistic: z.number().nullable().describe("chi-square or U (R's W); null for Fisher's exact test"),
  df: z.number().int().nullable(),
  p: z.number().min(0).max(1),
  adjustedP: z.number().min(0).max(1).describe("adjusted within the comparison's family"),
  significant: z.boolean().describe("adjustedP below the cycle's significance level"),
  differencePoints: z
    .object({ estimate: z.number(), lower: z.number(), upper: z.number() })
    .nullable()
    .describe("a minus b in percentage points with its 95% interval (proportions only)"),
  weighted: z
    .object({
      test: z.literal("rao-scott"),
      statistic: z.number().describe("the Rao-Scott adjusted F"),
      ndf: z.number(),
      ddf: z.number(),
      p: z.number().min(0).max(1),
      adjustedP: z.number().min(0).max(1).describe("adjusted within the family, among the weighted tests"),
      significant: z.boolean(),
    })
    .nullable()
    .default(null)
    .describe("within a weighted group: the same pair compared on the weighted data (R: svychisq(statistic = \"F\")); else null"),
  probabilityOfSuperiority: z
    .number()
    .nullable()
    .describe("Mann-Whitney only: the probability that an answer from a is more positive than one from b, plus half the ties (oriented by the scale's positive answers, whatever order it is listed in)"),
});

const comparisonResultSchema = z.object({
  id: z.string(),
  comparison: z.string().describe("the id of the comparison in the cycle file"),
  title: z.string(),
  kind: z.enum(["groups", "subgroups", "years"]),
  family: z.string(),
  adjustment: z.enum(["holm", "BH"]),
  measure: z.string().describe("positive, distribution, or category: <label>"),
  item: z.string(),
  group: z.string().nullable().describe("the group compared within (subgroups, years)"),
  samples: z.array(z.object({ id: z.string(), label: z.string(), share: shareSchema })),
  notTested: z.string().nullable().describe("why no test was run (e.g. a base under the threshold)"),
  omnibus: z
    .object({
      test: z.literal("chi-square"),
      why: z.string(),
      statistic: z.number(),
      df: z.number().int(),
      p: z.number().min(0).max(1),
      adjustedP: z.number().min(0).max(1).optional().describe("adjusted with the pairwise tests of the comparison's family (absent in results computed before)"),
      significant: z.boolean().describe("adjustedP below the cycle's significance level"),
      cramersV: z.number().min(0).max(1),
    })
    .nullable(),
  pairs: z.array(pairwiseTestSchema),
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

/** An open-text question's coded answers, counted: never the text. */
const openTextResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  codedBy: z.string().describe("how the answers were coded: the codebook's rules, and the analyst's coding file where it covers an answer"),
  answersCodedByFile: count.describe("answers whose codes come from the analyst's coding file"),
  scopes: z.array(
    z.object({
      scope: z.string().describe("a group id, or 'all' for all groups asked combined"),
      groups: z.array(z.string()),
      respondents: z.discriminatedUnion("suppressed", [z.object({ suppressed: z.literal(false), base: count.describe("respondents who wrote an answer") }), suppressedSchema]),
      codes: z
        .array(
          z.object({
            id: z.string(),
            label: z.string(),
            n: count.describe("mentions: respondents whose answer carries the code"),
            percentage: z.number().int().min(0).max(100).describe("of respondents who wrote an answer"),
            rank: z.number().int().positive(),
          }),
        )
        .describe("ranked by mentions; empty when suppressed"),
    }),
  ),
});

/** One subgroup variable within one group: each item's share by subgroup. */
const subgroupBreakdownSchema = z.object({
  variable: z.string(),
  label: z.string(),
  group: z.string(),
  subgroups: z.array(z.object({ id: z.string(), label: z.string() })),
  items: z.array(z.object({ item: z.string(), subgroups: z.array(z.object({ subgroup: z.string(), share: shareSchema })) })),
  notBrokenDown: z
    .array(z.object({ item: z.string(), why: z.string() }))
    .default([])
    .describe("items with no breakdown for this group: its figure (0% or 100% positive) would give a hidden subgroup's away, whatever else were hidden"),
});

/** Every item and group the previous cycle also asked: last year's share beside this year's. */
const yearOnYearSchema = z.object({
  previousCycleId: z.string(),
  previousTitle: z.string(),
  adjustment: z.enum(["holm", "BH"]),
  families: z.literal("item set").default("item set").describe("p-values are adjusted within each item set (and once across the items in no set)"),
  rows: z.array(
    z.object({
      item: z.string(),
      previousItem: z.string().describe("the previous cycle's item (differs where the item was reworded)"),
      group: z.string(),
      family: z.string().default("").describe("the item set whose rows this row's p is adjusted with, or \"items in no item set\""),
      previous: shareSchema,
      current: shareSchema,
      changePoints: z.number().int().nullable().describe("this year's share minus last year's in points, from the unrounded shares, rounded half away from zero; when both are shown"),
      test: z.enum(["fisher-exact", "chi-square"]).nullable(),
      p: z.number().min(0).max(1).nullable(),
      adjustedP: z.number().min(0).max(1).nullable().describe("adjusted across the year-on-year rows of the same family (item set)"),
      significant: z.boolean(),
    }),
  ),
});

/** A figure the cycle file declares as the annual report publishes it; the report and `figures/figure-{number}.*` follow it. */
const declaredFigureSchema = z.object({
  number: z.number().int().positive().describe("the published figure number"),
  title: z.string().describe("the published title, without \"Figure N: \""),
  items: z.array(z.string()),
  groups: z.array(z.string()).describe("the groups drawn, in order (the cycle file's, or every group asked any of the items)"),
  chart: z.enum(["positive", "diverging"]).describe("positive: % positive bars; diverging: every answer"),
  perGroup: z.boolean().describe("one chart per group, each with a bar per item"),
  labels: z.record(z.string(), z.string()).default({}).describe("short bar labels by item id, as the published chart labels them (else the item's text)"),
});

/** The results document written to `results/{cycleId}/results.json`. */
export const resultsDocumentSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  cycle: z.object({
    id: z.string(),
    title: z.string(),
    previousCycleId: z.string().nullable(),
    previousCycleTitle: z.string().nullable().describe("the previous cycle's title, for people (null when it has no results)"),
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
  significanceLevel: z.number().gt(0).lt(1),
  comparisons: z.array(comparisonResultSchema),
  openText: z.array(openTextResultSchema).describe("open-text questions: mentions per code, ranked, within and across groups"),
  subgroupBreakdowns: z.array(subgroupBreakdownSchema).describe("each item's % positive by subgroup, per subgroup variable and group"),
  weighting: z.array(weightingSummarySchema).default([]).describe("the groups weighted to their population, and how"),
  figures: z.array(declaredFigureSchema).default([]).describe("the figures the cycle file declares, as published (none: every figure is numbered automatically)"),
  yearOnYear: yearOnYearSchema.nullable().describe("every item asked in both cycles, last year beside this year; null without a previous cycle's results"),
  provenance: z.object({
    uploads: z.array(uploadProvenanceSchema),
    codeVersion: z.string(),
    computedAt: z.string(),
    generation: z.number().int().min(0).describe("the cycle's ledger generation the results were computed from: later generations replace earlier ones, never the reverse"),
  }),
});

export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;
export type YearOnYear = z.infer<typeof yearOnYearSchema>;
export type DeclaredFigureResult = z.infer<typeof declaredFigureSchema>;
export type SubgroupBreakdown = z.infer<typeof subgroupBreakdownSchema>;
export type OpenTextResult = z.infer<typeof openTextResultSchema>;
export type Share = z.infer<typeof shareSchema>;
export type ShownShare = z.infer<typeof shownShareSchema>;
export type Suppressed = z.infer<typeof suppressedSchema>;
export type ItemResult = z.infer<typeof itemSchema>;
export type ItemSetResult = z.infer<typeof itemSetSchema>;
export type RankingResult = z.infer<typeof rankingSchema>;
export type RankingScope = z.infer<typeof rankingScopeSchema>;
export type ResponseRate = z.infer<typeof responseRateSchema>;
export type ComparisonResult = z.infer<typeof comparisonResultSchema>;
export type PairwiseTest = z.infer<typeof pairwiseTestSchema>;
