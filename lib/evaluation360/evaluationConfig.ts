import { z } from "zod";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { sourceSchema } from "../sources/sourceSchema.ts";

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes, starting with a letter or digit");

const isoDate = z.iso.date({ message: "a date as YYYY-MM-DD" });

/** One of the evaluation criteria's themes (Appendix 4 has four). */
const themeSchema = z.strictObject({ id: slug, title: z.string().min(1) });

/** A statement rated by every respondent: its number in the tool, its theme and wording, and its export column. */
const statementSchema = z.strictObject({
  number: z.number().int().positive(),
  theme: slug,
  text: z.string().min(1),
  /** The export's column header for this statement (default: the statement's text). */
  column: z.string().min(1).optional(),
});

/** The rating scale: 1 to 5 by default, with the tool's labels. */
const ratingSchema = z.strictObject({
  value: z.number().int().min(1).max(9),
  label: z.string().min(1),
});

const DEFAULT_RATINGS = [
  { value: 1, label: "Significant development needed" },
  { value: 2, label: "Development needed" },
  { value: 3, label: "Working well" },
  { value: 4, label: "Strength" },
  { value: 5, label: "Exceptional strength" },
];

/** A kind of respondent and the answers to the respondent-type question that mean it. */
const respondentTypeSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** Answers meaning this type, besides the label itself. */
  values: z.array(z.string().min(1)).default([]),
});

/** An organisation registered for the tool, as the registration list names it. */
const organisationSchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  /** The organisation's region, for regional comparisons. */
  region: z.string().min(1).optional(),
  /** Other names the export's organisation column may hold for it. */
  aliases: z.array(z.string().min(1)).default([]),
});

/** A RAG band: averages (at one decimal, as shown) from `from` up to the next band's `from`. */
const bandSchema = z.strictObject({
  id: z.enum(["red", "amber", "green"]),
  label: z.string().min(1),
  from: z.number().min(0),
});

/** The fields of a 360 cycle file, before the checks across them. */
const evaluationShape = z.strictObject({
  /** Marks the file as a 360-degree evaluation cycle (an annual-survey cycle file has no `kind`). */
  kind: z.literal("evaluation360"),
  id: slug,
  title: z.string().min(1),
  /** Last year's 360 cycle, for the year-on-year columns. */
  previousCycleId: slug.optional(),
  timezone: z.string().min(1).default("Europe/London"),
  /** Which survey tool wrote the export(s), and how to read them (the annual survey's presets). */
  source: sourceSchema.default({ tool: "csv", columns: {} }),
  /** The export's organisation and respondent-type columns. */
  columns: z.strictObject({
    /**
     * Holds the organisation's id, name or alias. May be absent from an organisation's own export
     * (uploaded under `uploads/{cycle}/{organisation id}/`).
     */
    organisation: z.string().min(1).default("Organisation"),
    respondentType: z.string().min(1).default("Respondent type"),
  }).default({ organisation: "Organisation", respondentType: "Respondent type" }),
  /**
   * The header of a statement's column when the statement gives none: `{number}`, `{text}` and
   * `{theme}` (the theme's title) are filled in. SmartSurvey's matrix questions give
   * `"{theme} - {number}. {text}"`; a plain export might use `"Q{number}"`.
   */
  statementColumn: z.string().min(1).default("{text}"),
  themes: z.array(themeSchema).min(1),
  statements: z.array(statementSchema).min(1),
  scale: z
    .strictObject({
      ratings: z.array(ratingSchema).min(2).default(DEFAULT_RATINGS),
      /** Answers that are not ratings (left out of every mean), besides blank. */
      notRatings: z.array(z.string().min(1)).default(["Don't know", "Not applicable"]),
    })
    .default({ ratings: DEFAULT_RATINGS, notRatings: ["Don't know", "Not applicable"] }),
  respondentTypes: z.array(respondentTypeSchema).min(1),
  /** Who counts towards the national figures. */
  inclusion: z
    .strictObject({
      /** The respondent type that is the organisation's own assessment; at least one is required. */
      selfAssessment: slug.default("self-assessment"),
      /** Respondents of other types required besides the self-assessment. */
      minimumOtherRespondents: z.number().int().nonnegative().default(3),
      /** Responses submitted after this date (in `timezone`) are left out. */
      submittedBy: isoDate.optional(),
    })
    .default({ selfAssessment: "self-assessment", minimumOtherRespondents: 3 }),
  /**
   * Ratings of one respondent type (self-assessment apart) needed before an organisation's
   * report shows that type's figures. Feedback is anonymous: with one or two line managers,
   * a type's mean is one person's rating, or tells each of two their colleague's.
   */
  minimumRespondentsPerType: z.number().int().positive().default(3),
  /** An upload whose valid rows are fewer than this share of its rows is refused as a file. */
  minimumAcceptedShare: z.number().gt(0).max(1).default(0.8),
  /** Included organisations a region needs before its averages are shown. */
  minimumOrganisationsPerRegion: z.number().int().positive().default(5),
  /**
   * What an organisation scores on a statement none of its respondents rated: left out of that
   * statement's figures ("excluded", the default), or 0 as the 2023-24 tool scored it ("zero").
   */
  unrated: z.enum(["excluded", "zero"]).default("excluded"),
  rag: z
    .array(bandSchema)
    .length(3)
    .default([
      { id: "red", label: "Red", from: 1 },
      { id: "amber", label: "Amber", from: 2 },
      { id: "green", label: "Green", from: 4 },
    ]),
  organisations: z.array(organisationSchema).min(1),
});

/** A 360-degree evaluation cycle: statements, scale, respondent types, inclusion rules and organisations. */
export const evaluationConfigSchema = evaluationShape.superRefine((cycle, ctx) => {
  const duplicates = (values: readonly (string | number)[], path: (string | number)[], field: string) => {
    const seen = new Set<string | number>();
    values.forEach((value, index) => {
      if (seen.has(value)) ctx.addIssue({ code: "custom", path: [...path, index, field], message: `duplicate ${field} ${JSON.stringify(value)}` });
      seen.add(value);
    });
  };
  duplicates(cycle.themes.map((theme) => theme.id), ["themes"], "id");
  duplicates(cycle.statements.map((statement) => statement.number), ["statements"], "number");
  duplicates(cycle.statements.map((statement) => normalizeLabel(statementHeader(cycle, statement))), ["statements"], "column");
  duplicates(cycle.respondentTypes.map((type) => type.id), ["respondentTypes"], "id");
  duplicates(cycle.organisations.map((organisation) => organisation.id), ["organisations"], "id");
  duplicates(cycle.scale.ratings.map((rating) => rating.value), ["scale", "ratings"], "value");
  const themes = new Set(cycle.themes.map((theme) => theme.id));
  cycle.statements.forEach((statement, index) => {
    if (!themes.has(statement.theme)) ctx.addIssue({ code: "custom", path: ["statements", index, "theme"], message: `unknown theme "${statement.theme}" (themes: ${[...themes].join(", ")})` });
  });
  if (!cycle.respondentTypes.some((type) => type.id === cycle.inclusion.selfAssessment)) {
    ctx.addIssue({ code: "custom", path: ["inclusion", "selfAssessment"], message: `unknown respondent type "${cycle.inclusion.selfAssessment}"` });
  }
  const bands = cycle.rag.map((band) => band.id).join(",");
  if (bands !== "red,amber,green") ctx.addIssue({ code: "custom", path: ["rag"], message: "the bands must be red, amber and green, in that order" });
  cycle.rag.forEach((band, index) => {
    if (index > 0 && band.from <= cycle.rag[index - 1]!.from) ctx.addIssue({ code: "custom", path: ["rag", index, "from"], message: "must be above the previous band's" });
  });
  if (cycle.previousCycleId === cycle.id) ctx.addIssue({ code: "custom", path: ["previousCycleId"], message: "must differ from id" });
  // One answer must mean one organisation and one respondent type.
  const names = new Map<string, string>();
  cycle.organisations.forEach((organisation, index) => {
    for (const name of [organisation.id, organisation.name, ...organisation.aliases]) {
      const key = normalizeLabel(name);
      const other = names.get(key);
      if (other !== undefined && other !== organisation.id) ctx.addIssue({ code: "custom", path: ["organisations", index], message: `"${name}" also names organisation "${other}"` });
      names.set(key, organisation.id);
    }
  });
  const answers = new Map<string, string>();
  cycle.respondentTypes.forEach((type, index) => {
    for (const value of [type.label, ...type.values]) {
      const key = normalizeLabel(value);
      const other = answers.get(key);
      if (other !== undefined && other !== type.id) ctx.addIssue({ code: "custom", path: ["respondentTypes", index, "values"], message: `"${value}" also means respondent type "${other}"` });
      answers.set(key, type.id);
    }
  });
});

/** A validated 360 cycle, with defaults filled in. */
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type RagBand = z.infer<typeof bandSchema>;

/** The export column header of a statement: its own `column`, or the cycle's `statementColumn` filled in. */
export function statementHeader(cycle: Pick<EvaluationConfig, "statementColumn" | "themes">, statement: Statement): string {
  if (statement.column !== undefined) return statement.column;
  const theme = cycle.themes.find((t) => t.id === statement.theme)?.title ?? statement.theme;
  return cycle.statementColumn.replace(/\{(number|text|theme)\}/g, (_, field: string) =>
    field === "number" ? String(statement.number) : field === "text" ? statement.text : theme,
  );
}
