import { z } from "zod";
import { sourceSchema } from "../../sources/sourceSchema.ts";
import { checkAcrossFields } from "./cycleChecks.ts";

// Defined beside the checks that need it; compute and ingest import it from here.
export { groupsAskedMultiSelect } from "./cycleChecks.ts";

/** An identifier used in keys and paths: lower-case letters, digits and dashes, at most 64. */
const slug = z
  .string()
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "lower-case letters, digits and dashes, starting with a letter or digit",
  );

const isoDate = z.iso.date({ message: "a date as YYYY-MM-DD" });

/** A scale: the ordered answer categories of single-choice items. */
export const scaleSchema = z
  .strictObject({
    id: slug,
    /** Answer labels in display order, exactly as they appear in the exports. */
    categories: z.array(z.string().min(1)).min(2).max(250),
    /** Labels that count as positive (e.g. the top two boxes). */
    positive: z.array(z.string().min(1)).min(1),
    /** Labels left out of the base (don't know, not applicable, not used). */
    excludedFromBase: z.array(z.string().min(1)).default([]),
    /** Codes the export may hold instead of labels: code → label (`{ "1": "Very useful" }`, LimeSurvey's `AO01`). */
    codes: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** Values meaning "not answered" for this scale's items (e.g. `-99`), counted as blank. */
    missing: z.array(z.string().min(1)).default([]),
  })
  .superRefine((scale, ctx) => {
    const seen = new Set<string>();
    scale.categories.forEach((label, index) => {
      const key = label.trim().toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["categories", index],
          message: `"${label}" is listed twice`,
        });
      }
      seen.add(key);
    });
    for (const field of ["positive", "excludedFromBase"] as const) {
      scale[field].forEach((label, index) => {
        if (!scale.categories.includes(label)) {
          ctx.addIssue({
            code: "custom",
            path: [field, index],
            message: `"${label}" is not one of the scale's categories`,
          });
        }
      });
    }
    for (const [code, label] of Object.entries(scale.codes)) {
      if (!scale.categories.includes(label)) {
        ctx.addIssue({ code: "custom", path: ["codes", code], message: `"${label}" is not one of the scale's categories` });
      }
    }
    scale.positive.forEach((label, index) => {
      if (scale.excludedFromBase.includes(label)) {
        ctx.addIssue({
          code: "custom",
          path: ["positive", index],
          message: `"${label}" cannot be both positive and excluded from the base`,
        });
      }
    });
  });

/** Column headers by group id: which groups are asked, and where each group's export holds the answer. */
const columnsByGroup = z.record(z.string(), z.string().min(1));

/** A single-choice question reported as a share of positive answers. */
export const itemSchema = z.strictObject({
  id: slug,
  text: z.string().min(1),
  scale: slug,
  columns: columnsByGroup,
});

/** A set of items whose mean percentage is reported (e.g. the types of support). */
export const itemSetSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  items: z.array(slug).min(1),
  /** The groups whose averages are reported; by default every group asked any of the items. */
  groups: z.array(slug).optional(),
});

/** Where a group's export holds a multi-select answer in one cell, and what separates the choices. */
const delimitedAnswerSchema = z.strictObject({
  column: z.string().min(1),
  /** `;` for Microsoft Forms (`A;B;`), `,` for Google Forms (`A, B`) and Qualtrics. */
  separator: z.string().min(1),
});

/**
 * A multi-select question. Per group, either one export column per option (selected when the
 * cell is the option's label or id, or a mark such as 1, Y, Yes, x or ✓: see `source.marks`) or, under `delimited`, one cell
 * holding every choice.
 */
export const multiSelectSchema = z.strictObject({
  id: slug,
  text: z.string().min(1),
  options: z
    .array(z.strictObject({ id: slug, label: z.string().min(1), columns: columnsByGroup.default({}) }))
    .min(1),
  delimited: z.record(z.string(), delimitedAnswerSchema).default({}),
});

/** One code of an open-text question's codebook: a first pass by keywords or regular expressions. */
const codeSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** Words or phrases that mark an answer with this code (whole words, case and accents ignored). */
  keywords: z.array(z.string().min(1)).default([]),
  /** Regular expressions (JavaScript syntax, matched case-insensitively) that mark it too. */
  patterns: z
    .array(z.string().min(1).refine((pattern) => compiles(pattern), "a valid regular expression"))
    .default([]),
});

/**
 * An open-text question, coded and counted, never stored: a codebook's rules code each answer
 * at ingest, and an analyst's coding file (response id, code) overrides them at compute.
 */
export const openTextSchema = z.strictObject({
  id: slug,
  text: z.string().min(1),
  columns: columnsByGroup,
  codebook: z.array(codeSchema).min(1),
});

/** A variable that splits a group into subgroups (e.g. ethnicity grouped into white / minoritised). */
export const subgroupVariableSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  columns: columnsByGroup,
  subgroups: z
    .array(
      z.strictObject({ id: slug, label: z.string().min(1), values: z.array(z.string().min(1)).min(1) }),
    )
    .min(2),
  /** Answers that are valid but place the respondent in no subgroup (e.g. "Prefer not to say"). */
  unclassified: z.array(z.string().min(1)).default([]),
  /** Whether the items are broken down by it; false for a variable read only to weight by (region, employer type). */
  breakdown: z.boolean().default(true),
});

/** What a comparison compares: the positive share, the share in one category, or the whole distribution. */
const measureSchema = z.union([
  z.literal("positive"),
  z.literal("distribution"),
  z.strictObject({ category: z.string().min(1) }),
]);

const comparisonBase = {
  id: slug,
  title: z.string().min(1),
  measure: measureSchema.default("positive"),
  /** Comparisons in one family have their p-values adjusted together (default: the comparison alone). */
  family: slug.optional(),
};

/** A comparison the report authors ask for; the engine chooses the test. */
export const comparisonSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...comparisonBase, kind: z.literal("groups"), item: slug, groups: z.array(slug).min(2) }),
  z.strictObject({
    ...comparisonBase,
    kind: z.literal("subgroups"),
    variable: slug,
    groups: z.array(slug).min(1),
    items: z.array(slug).min(1),
  }),
  z.strictObject({
    ...comparisonBase,
    kind: z.literal("years"),
    groups: z.array(slug).min(1),
    items: z.array(slug).min(1),
    /** This cycle's item id → the previous cycle's item id, where the wording (and id) changed. */
    predecessors: z.record(z.string(), slug).default({}),
  }),
]);

/**
 * A figure as the annual report publishes it: its number and title as printed, the items it
 * draws and for which groups, and its form. The report and the figure files follow the
 * declared figures one to one (`figures/figure-{number}.svg`); items in no declared figure keep
 * their automatic figures, numbered after the highest declared number.
 */
export const figureSchema = z.strictObject({
  /** The figure's number in the published report (Figure 5 → 5). */
  number: z.number().int().positive(),
  /** The title as published, without "Figure N: ". */
  title: z.string().min(1),
  items: z.array(slug).min(1),
  /** The groups drawn, in this order; by default every group asked any of the items. */
  groups: z.array(slug).min(1).optional(),
  /** `positive`: a bar of the % positive per group and item; `diverging`: every answer as a diverging bar. */
  chart: z.enum(["positive", "diverging"]).default("positive"),
  /** One chart per group (audience), each with a bar per item, as the EEDI figures are published. */
  perGroup: z.boolean().default(false),
  /** Short bar labels by item id, as the published chart labels an item's bar ("QA visits"); the item's text by default. */
  labels: z.record(z.string(), z.string().min(1)).default({}),
});

/** A message template: subject and plain text with {{name}}, {{link}}, {{closes}} and {{group}} placeholders. */
const templateSchema = z.strictObject({ subject: z.string().min(1), text: z.string().min(1) });

/** Invitation and reminder templates, with optional overrides per group. */
const messagesSchema = z
  .strictObject({
    invitation: templateSchema.extend({ groups: z.record(z.string(), templateSchema.partial()).default({}) }),
    reminder: templateSchema.extend({ groups: z.record(z.string(), templateSchema.partial()).default({}) }),
  })
  .default({
    invitation: {
      subject: "ASYE annual survey: your views",
      text: "Dear {{name}},\n\nPlease take part in this year's ASYE annual survey for {{group}}:\n{{link}}\n\nThe survey closes on {{closes}}.\n",
      groups: {},
    },
    reminder: {
      subject: "Reminder: ASYE annual survey",
      text: "Dear {{name}},\n\nThere is still time to take part in the ASYE annual survey for {{group}}:\n{{link}}\n\nThe survey closes on {{closes}}.\n",
      groups: {},
    },
  });

export const groupSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** The group's survey link, sent in invitations and reminders. */
  surveyLink: z.url().optional(),
  /** Survey links successfully delivered: the response-rate denominator. */
  delivered: z.number().int().positive(),
  /** Which survey tool wrote the group's export, and how to read it. */
  source: sourceSchema.default({ tool: "csv", columns: {} }),
});

const serviceAreaSchema = z
  .strictObject({
    childAndFamilyOnly: z.array(z.string().min(1)).min(1),
    both: z.array(z.string().min(1)).min(1),
  })
  .default({
    childAndFamilyOnly: ["Child and family only"],
    both: ["Both child and family and adult services"],
  });

/**
 * Non-response weighting of one group: raked (iterative proportional fitting, as R's
 * `survey::rake`) to population totals on each margin, then optionally trimmed. Each margin is
 * a subgroup variable the group is asked, its population given per subgroup id.
 */
export const groupWeightingSchema = z.strictObject({
  group: slug,
  margins: z
    .array(
      z.strictObject({
        variable: slug,
        /**
         * Each subgroup id's population count, or an outcomes cycle whose published registrations
         * (by region or employer type, its analysis cohort) give them: a subgroup's population is
         * the registrations of the levels its `values` name.
         */
        population: z.union([
          z.record(z.string(), z.number().positive()),
          z.strictObject({ outcomesCycle: slug, registrationsBy: z.enum(["region", "employerType"]) }),
        ]),
      }),
    )
    .min(1),
  /** Bounds on the final weights, as R's `trimWeights` (strict: repeat until none is outside). */
  trim: z.strictObject({ lower: z.number().positive().optional(), upper: z.number().positive().optional(), strict: z.boolean().default(false) }).optional(),
  /** Convergence: stop when the margins move less than epsilon (× the total weight when under 1), or after maxIterations sweeps. */
  epsilon: z.number().positive().default(1),
  maxIterations: z.number().int().min(1).max(1000).default(10),
});

export type GroupWeighting = z.infer<typeof groupWeightingSchema>;

type Population = GroupWeighting["margins"][number]["population"];

/** Whether a margin's population is read from an outcomes cycle's registrations (else it is given per subgroup). */
export function fromOutcomes(population: Population): population is Extract<Population, { outcomesCycle: string }> {
  return typeof (population as { outcomesCycle?: unknown }).outcomesCycle === "string";
}

/** The cycle file's fields, before the checks across them. */
const cycleShape = z
  .strictObject({
    id: slug,
    title: z.string().min(1),
    previousCycleId: slug.optional(),
    timezone: z.string().refine(isKnownTimeZone, "an IANA time zone such as Europe/London"),
    schedule: z.strictObject({
      opens: isoDate,
      closes: isoDate,
      reminderIntervalDays: z.number().int().positive(),
      /** Local time (in `timezone`) at which invitations and reminders go out. */
      sendTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM")
        .default("09:00"),
      /** At most this many reminders after the invitation (default: every interval until closing). */
      maxReminders: z.number().int().nonnegative().optional(),
    }),
    /** Column of the exports holding the recipient's response token, if the survey tool exports it. */
    tokenColumn: z.string().min(1).default("token"),
    messages: messagesSchema,
    suppressionThreshold: z.number().int().positive().default(30),
    /**
     * An upload whose valid rows are fewer than this share of its rows is refused as a file,
     * so a damaged export never replaces good results.
     */
    minimumAcceptedShare: z.number().gt(0).max(1).default(0.8),
    significanceLevel: z.number().gt(0).lt(1).default(0.05),
    /** How p-values are adjusted within a family of comparisons. */
    adjustment: z.enum(["holm", "BH"]).default("holm"),
    groups: z.array(groupSchema).min(1),
    serviceArea: serviceAreaSchema,
    questionnaire: z.strictObject({
      scales: z.array(scaleSchema).default([]),
      items: z.array(itemSchema).default([]),
      itemSets: z.array(itemSetSchema).default([]),
      multiSelect: z.array(multiSelectSchema).default([]),
      subgroupVariables: z.array(subgroupVariableSchema).default([]),
      openText: z.array(openTextSchema).default([]),
    }),
    comparisons: z.array(comparisonSchema).default([]),
    /** The report's figures as published (numbers, titles, items, groups, form); none by default. */
    figures: z.array(figureSchema).default([]),
    /** Groups whose figures are also given weighted to their population (beside the unweighted ones). */
    weighting: z.array(groupWeightingSchema).default([]),
  });

/** One survey cycle: its groups, schedule, questionnaire and reporting rules. */
export const cycleConfigSchema = cycleShape.superRefine(checkAcrossFields);

/** A validated cycle configuration, with defaults filled in. */
export type CycleConfig = z.infer<typeof cycleConfigSchema>;
export type Scale = z.infer<typeof scaleSchema>;
export type Item = z.infer<typeof itemSchema>;
export type MultiSelectQuestion = z.infer<typeof multiSelectSchema>;
export type SubgroupVariable = z.infer<typeof subgroupVariableSchema>;
export type OpenTextQuestion = z.infer<typeof openTextSchema>;
export type Group = z.infer<typeof groupSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type MessageTemplate = z.infer<typeof templateSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type DeclaredFigure = z.infer<typeof figureSchema>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "iu");
    return true;
  } catch {
    return false;
  }
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
