import { z } from "zod";

/** An identifier used in keys and paths: lower-case letters, digits and dashes. */
const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "lower-case letters, digits and dashes, starting with a letter or digit",
  );

const isoDate = z.iso.date({ message: "a date as YYYY-MM-DD" });

/** A scale: the ordered answer categories of single-choice items. */
export const scaleSchema = z
  .object({
    id: slug,
    /** Answer labels in display order, exactly as they appear in the exports. */
    categories: z.array(z.string().min(1)).min(2).max(250),
    /** Labels that count as positive (e.g. the top two boxes). */
    positive: z.array(z.string().min(1)).min(1),
    /** Labels left out of the base (don't know, not applicable, not used). */
    excludedFromBase: z.array(z.string().min(1)).default([]),
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
export const itemSchema = z.object({
  id: slug,
  text: z.string().min(1),
  scale: slug,
  columns: columnsByGroup,
});

/** A set of items whose mean percentage is reported (e.g. the types of support). */
export const itemSetSchema = z.object({
  id: slug,
  title: z.string().min(1),
  items: z.array(slug).min(1),
  /** The groups whose averages are reported; by default every group asked any of the items. */
  groups: z.array(slug).optional(),
});

/** A multi-select question: one export column per option, non-empty meaning selected. */
export const multiSelectSchema = z.object({
  id: slug,
  text: z.string().min(1),
  options: z
    .array(z.object({ id: slug, label: z.string().min(1), columns: columnsByGroup }))
    .min(1),
});

/** A variable that splits a group into subgroups (e.g. ethnicity grouped into white / minoritised). */
export const subgroupVariableSchema = z.object({
  id: slug,
  label: z.string().min(1),
  columns: columnsByGroup,
  subgroups: z
    .array(
      z.object({ id: slug, label: z.string().min(1), values: z.array(z.string().min(1)).min(1) }),
    )
    .min(2),
  /** Answers that are valid but place the respondent in no subgroup (e.g. "Prefer not to say"). */
  unclassified: z.array(z.string().min(1)).default([]),
});

/** What a comparison compares: the positive share, the share in one category, or the whole distribution. */
const measureSchema = z.union([
  z.literal("positive"),
  z.literal("distribution"),
  z.object({ category: z.string().min(1) }),
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
  z.object({ ...comparisonBase, kind: z.literal("groups"), item: slug, groups: z.array(slug).min(2) }),
  z.object({
    ...comparisonBase,
    kind: z.literal("subgroups"),
    variable: slug,
    groups: z.array(slug).min(1),
    items: z.array(slug).min(1),
  }),
  z.object({
    ...comparisonBase,
    kind: z.literal("years"),
    groups: z.array(slug).min(1),
    items: z.array(slug).min(1),
    /** This cycle's item id → the previous cycle's item id, where the wording (and id) changed. */
    predecessors: z.record(z.string(), slug).default({}),
  }),
]);

/** A message template: subject and plain text with {{name}}, {{link}}, {{closes}} and {{group}} placeholders. */
const templateSchema = z.object({ subject: z.string().min(1), text: z.string().min(1) });

/** Invitation and reminder templates, with optional overrides per group. */
const messagesSchema = z
  .object({
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

export const groupSchema = z.object({
  id: slug,
  label: z.string().min(1),
  /** The group's survey link, sent in invitations and reminders. */
  surveyLink: z.url().optional(),
  /** Survey links successfully delivered: the response-rate denominator. */
  delivered: z.number().int().positive(),
});

const serviceAreaSchema = z
  .object({
    childAndFamilyOnly: z.array(z.string().min(1)).min(1),
    both: z.array(z.string().min(1)).min(1),
  })
  .default({
    childAndFamilyOnly: ["Child and family only"],
    both: ["Both child and family and adult services"],
  });

/** One survey cycle: its groups, schedule, questionnaire and reporting rules. */
export const cycleConfigSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    previousCycleId: slug.optional(),
    timezone: z.string().refine(isKnownTimeZone, "an IANA time zone such as Europe/London"),
    schedule: z.object({
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
    significanceLevel: z.number().gt(0).lt(1).default(0.05),
    /** How p-values are adjusted within a family of comparisons. */
    adjustment: z.enum(["holm", "BH"]).default("holm"),
    groups: z.array(groupSchema).min(1),
    serviceArea: serviceAreaSchema,
    questionnaire: z.object({
      scales: z.array(scaleSchema).default([]),
      items: z.array(itemSchema).default([]),
      itemSets: z.array(itemSetSchema).default([]),
      multiSelect: z.array(multiSelectSchema).default([]),
      subgroupVariables: z.array(subgroupVariableSchema).default([]),
    }),
    comparisons: z.array(comparisonSchema).default([]),
  })
  .superRefine((cycle, ctx) => {
    if (cycle.schedule.closes <= cycle.schedule.opens) {
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "closes"],
        message: "must be after schedule.opens",
      });
    }
    if (cycle.previousCycleId === cycle.id) {
      ctx.addIssue({ code: "custom", path: ["previousCycleId"], message: "must differ from id" });
    }
    const groupIds = new Set(cycle.groups.map((group) => group.id));
    reportDuplicates(
      cycle.groups.map((group) => group.id),
      ["groups"],
      ctx,
    );
    const q = cycle.questionnaire;
    const scaleIds = new Set(q.scales.map((scale) => scale.id));
    reportDuplicates(
      q.scales.map((scale) => scale.id),
      ["questionnaire", "scales"],
      ctx,
    );
    reportDuplicates(
      [...q.items.map((item) => item.id), ...q.multiSelect.map((question) => question.id)],
      ["questionnaire", "items"],
      ctx,
    );
    const checkColumns = (columns: Record<string, string>, path: (string | number)[]) => {
      for (const group of Object.keys(columns)) {
        if (!groupIds.has(group)) {
          ctx.addIssue({
            code: "custom",
            path: [...path, group],
            message: `unknown group "${group}" (groups: ${[...groupIds].join(", ")})`,
          });
        }
      }
      if (Object.keys(columns).length === 0) {
        ctx.addIssue({ code: "custom", path, message: "at least one group must be asked" });
      }
    };
    q.items.forEach((item, index) => {
      if (!scaleIds.has(item.scale)) {
        ctx.addIssue({
          code: "custom",
          path: ["questionnaire", "items", index, "scale"],
          message: `unknown scale "${item.scale}"`,
        });
      }
      checkColumns(item.columns, ["questionnaire", "items", index, "columns"]);
    });
    const itemIds = new Set(q.items.map((item) => item.id));
    q.itemSets.forEach((set, index) => {
      set.groups?.forEach((group, groupIndex) => {
        if (!groupIds.has(group)) {
          ctx.addIssue({
            code: "custom",
            path: ["questionnaire", "itemSets", index, "groups", groupIndex],
            message: `unknown group "${group}"`,
          });
        }
      });
      set.items.forEach((id, itemIndex) => {
        if (!itemIds.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["questionnaire", "itemSets", index, "items", itemIndex],
            message: `unknown item "${id}"`,
          });
        }
      });
    });
    q.multiSelect.forEach((question, index) => {
      reportDuplicates(
        question.options.map((option) => option.id),
        ["questionnaire", "multiSelect", index, "options"],
        ctx,
      );
      question.options.forEach((option, optionIndex) => {
        checkColumns(option.columns, [
          "questionnaire",
          "multiSelect",
          index,
          "options",
          optionIndex,
          "columns",
        ]);
      });
    });
    q.subgroupVariables.forEach((variable, index) => {
      checkColumns(variable.columns, ["questionnaire", "subgroupVariables", index, "columns"]);
    });
    const scaleOf = new Map(q.items.map((item) => [item.id, q.scales.find((scale) => scale.id === item.scale)]));
    const variableIds = new Set(q.subgroupVariables.map((variable) => variable.id));
    reportDuplicates(cycle.comparisons.map((comparison) => comparison.id), ["comparisons"], ctx);
    cycle.comparisons.forEach((comparison, index) => {
      const at = (...path: (string | number)[]) => ["comparisons", index, ...path];
      const items = comparison.kind === "groups" ? [comparison.item] : comparison.items;
      items.forEach((id, itemIndex) => {
        const path = comparison.kind === "groups" ? at("item") : at("items", itemIndex);
        if (!itemIds.has(id)) {
          ctx.addIssue({ code: "custom", path, message: `unknown item "${id}"` });
          return;
        }
        const measure = comparison.measure;
        if (typeof measure === "object" && !scaleOf.get(id)?.categories.includes(measure.category)) {
          ctx.addIssue({ code: "custom", path: at("measure", "category"), message: `"${measure.category}" is not a category of item "${id}"` });
        }
      });
      comparison.groups.forEach((group, groupIndex) => {
        if (!groupIds.has(group)) ctx.addIssue({ code: "custom", path: at("groups", groupIndex), message: `unknown group "${group}"` });
      });
      if (comparison.kind === "subgroups" && !variableIds.has(comparison.variable)) {
        ctx.addIssue({ code: "custom", path: at("variable"), message: `unknown subgroup variable "${comparison.variable}"` });
      }
      if (comparison.kind === "years" && cycle.previousCycleId === undefined) {
        ctx.addIssue({ code: "custom", path: at("kind"), message: "year-on-year comparisons need previousCycleId" });
      }
    });
  });

/** A validated cycle configuration, with defaults filled in. */
export type CycleConfig = z.infer<typeof cycleConfigSchema>;
export type Scale = z.infer<typeof scaleSchema>;
export type Item = z.infer<typeof itemSchema>;
export type MultiSelectQuestion = z.infer<typeof multiSelectSchema>;
export type SubgroupVariable = z.infer<typeof subgroupVariableSchema>;
export type Group = z.infer<typeof groupSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type MessageTemplate = z.infer<typeof templateSchema>;
export type Measure = z.infer<typeof measureSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function reportDuplicates(ids: string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id))
      ctx.addIssue({
        code: "custom",
        path: [...path, index, "id"],
        message: `duplicate id "${id}"`,
      });
    seen.add(id);
  });
}
