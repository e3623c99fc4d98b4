import type { z } from "zod";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { formatPath } from "../../validation/formatIssues.ts";
import { type Comparison, type CycleConfig, type DeclaredFigure, fromOutcomes, type Item, type MultiSelectQuestion, type Scale } from "./cycleConfig.ts";

/** Where an issue lies in the cycle file, as zod paths are written. */
type IssuePath = (string | number)[];

/** What the questionnaire declares that comparisons refer to by id. */
interface Declared {
  groupIds: ReadonlySet<string>;
  itemIds: ReadonlySet<string>;
  variableIds: ReadonlySet<string>;
  scaleOf: ReadonlyMap<string, Scale | undefined>;
}

/**
 * The checks across the cycle file's fields, once each field is valid on its own: dates in
 * order, ids unique, every reference to a group, scale, item or subgroup variable known (the
 * declared figures' included), and no export column read twice. Issues come in the order of the file's sections.
 */
export function checkAcrossFields(cycle: CycleConfig, ctx: z.RefinementCtx): void {
  checkSchedule(cycle, ctx);
  checkPreviousCycle(cycle, ctx);
  const groupIds = new Set(cycle.groups.map((group) => group.id));
  checkIdsUnique(cycle, ctx);
  checkItems(cycle, groupIds, ctx);
  checkItemSets(cycle, groupIds, ctx);
  checkMultiSelect(cycle, groupIds, ctx);
  checkSubgroupVariables(cycle, groupIds, ctx);
  checkOpenText(cycle, groupIds, ctx);
  reportColumnsUsedTwice(cycle, ctx);
  checkComparisons(cycle, groupIds, ctx);
  checkWeighting(cycle, groupIds, ctx);
  checkFigures(cycle, groupIds, ctx);
}

/**
 * The declared figures: each number declared once, each item a declared single-choice item
 * listed once, each group known and asked every item of the figure, a diverging figure's items
 * on one scale (it draws one scale's answers), and labels only for the figure's items.
 */
function checkFigures(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const items = new Map(cycle.questionnaire.items.map((item) => [item.id, item]));
  const firstWithNumber = new Map<number, number>();
  cycle.figures.forEach((figure, f) => {
    const earlier = firstWithNumber.get(figure.number);
    if (earlier === undefined) firstWithNumber.set(figure.number, f);
    else ctx.addIssue({ code: "custom", path: ["figures", f, "number"], message: `Figure ${figure.number} is already declared at figures[${earlier}]` });
    figure.groups?.forEach((group, g) => {
      if (!groupIds.has(group)) ctx.addIssue({ code: "custom", path: ["figures", f, "groups", g], message: `unknown group "${group}" (groups: ${[...groupIds].join(", ")})` });
    });
    checkFigureItems(figure, f, items, groupIds, ctx);
    for (const id of Object.keys(figure.labels)) {
      if (!figure.items.includes(id)) ctx.addIssue({ code: "custom", path: ["figures", f, "labels", id], message: `"${id}" is not one of the figure's items (items: ${figure.items.join(", ")})` });
    }
  });
}

/** One declared figure's items: known, listed once, asked of the figure's groups, and on one scale when diverging. */
function checkFigureItems(figure: DeclaredFigure, f: number, items: ReadonlyMap<string, Item>, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  let firstScale: string | undefined;
  figure.items.forEach((id, k) => {
    const path: IssuePath = ["figures", f, "items", k];
    const item = items.get(id);
    if (seen.has(id)) ctx.addIssue({ code: "custom", path, message: `"${id}" is listed twice` });
    seen.add(id);
    if (item === undefined) {
      ctx.addIssue({ code: "custom", path, message: `unknown item "${id}" (a figure draws the questionnaire's items, not multi-select or open-text questions)` });
      return;
    }
    const notAsked = (figure.groups ?? []).filter((group) => groupIds.has(group) && item.columns[group] === undefined);
    if (notAsked.length > 0) ctx.addIssue({ code: "custom", path, message: `"${id}" is not asked of ${notAsked.map((g) => `"${g}"`).join(", ")} (asked of: ${Object.keys(item.columns).join(", ")})` });
    firstScale ??= item.scale;
    if (figure.chart === "diverging" && item.scale !== firstScale) ctx.addIssue({ code: "custom", path, message: `a diverging figure draws one scale: "${id}" is on scale "${item.scale}", the figure's first item on "${firstScale}"` });
  });
}

/**
 * Each weighted group is known and weighted once; each margin is a subgroup variable the group
 * is asked, once, with a positive population for every one of its subgroups and no other.
 */
function checkWeighting(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cycle.weighting.forEach((weighting, w) => {
    const at: IssuePath = ["weighting", w];
    if (!groupIds.has(weighting.group)) ctx.addIssue({ code: "custom", path: [...at, "group"], message: `unknown group "${weighting.group}"` });
    if (seen.has(weighting.group)) ctx.addIssue({ code: "custom", path: [...at, "group"], message: `"${weighting.group}" is weighted twice` });
    seen.add(weighting.group);
    const variables = new Set<string>();
    weighting.margins.forEach((margin, m) => {
      const path: IssuePath = [...at, "margins", m];
      const variable = cycle.questionnaire.subgroupVariables.find((v) => v.id === margin.variable);
      if (!variable || variable.columns[weighting.group] === undefined) {
        ctx.addIssue({ code: "custom", path: [...path, "variable"], message: `"${margin.variable}" is not a subgroup variable asked of ${weighting.group}` });
        return;
      }
      if (variables.has(margin.variable)) ctx.addIssue({ code: "custom", path: [...path, "variable"], message: `"${margin.variable}" is a margin twice` });
      variables.add(margin.variable);
      const ids = variable.subgroups.map((s) => s.id);
      // Read from an outcomes cycle's registrations when computed: checked then.
      if (fromOutcomes(margin.population)) return;
      const population = margin.population;
      for (const id of ids) if (population[id] === undefined) ctx.addIssue({ code: "custom", path: [...path, "population"], message: `no population for subgroup "${id}" of ${variable.id}` });
      for (const key of Object.keys(population)) if (!ids.includes(key)) ctx.addIssue({ code: "custom", path: [...path, "population", key], message: `not a subgroup of ${variable.id} (subgroups: ${ids.join(", ")})` });
    });
  });
}

/** The groups a multi-select question is asked of: option columns or a delimited cell. */
export function groupsAskedMultiSelect(question: Pick<MultiSelectQuestion, "options" | "delimited">): string[] {
  const groups = new Set(Object.keys(question.delimited));
  for (const option of question.options) for (const group of Object.keys(option.columns)) groups.add(group);
  return [...groups];
}

/** The survey must close after it opens. */
function checkSchedule(cycle: CycleConfig, ctx: z.RefinementCtx): void {
  if (cycle.schedule.closes <= cycle.schedule.opens) {
    ctx.addIssue({
      code: "custom",
      path: ["schedule", "closes"],
      message: "must be after schedule.opens",
    });
  }
}

/** A cycle cannot be its own previous cycle (year-on-year would compare it with itself). */
function checkPreviousCycle(cycle: CycleConfig, ctx: z.RefinementCtx): void {
  if (cycle.previousCycleId === cycle.id) {
    ctx.addIssue({ code: "custom", path: ["previousCycleId"], message: "must differ from id" });
  }
}

/** Group ids, scale ids and question ids (items, multi-select and open text share one space) are each used once. */
function checkIdsUnique(cycle: CycleConfig, ctx: z.RefinementCtx): void {
  const q = cycle.questionnaire;
  reportDuplicates(
    cycle.groups.map((group) => group.id),
    ["groups"],
    ctx,
  );
  reportDuplicates(
    q.scales.map((scale) => scale.id),
    ["questionnaire", "scales"],
    ctx,
  );
  reportDuplicates(
    [...q.items.map((item) => item.id), ...q.multiSelect.map((question) => question.id), ...q.openText.map((question) => question.id)],
    ["questionnaire", "items"],
    ctx,
  );
}

/** Each item's scale is declared, and its columns name known groups. */
function checkItems(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const scaleIds = new Set(cycle.questionnaire.scales.map((scale) => scale.id));
  cycle.questionnaire.items.forEach((item, index) => {
    if (!scaleIds.has(item.scale)) {
      ctx.addIssue({
        code: "custom",
        path: ["questionnaire", "items", index, "scale"],
        message: `unknown scale "${item.scale}"`,
      });
    }
    checkAskedGroups(item.columns, ["questionnaire", "items", index, "columns"], groupIds, ctx);
  });
}

/** A question's columns by group: every group known, and at least one group asked. */
function checkAskedGroups(
  columns: Record<string, string>,
  path: IssuePath,
  groupIds: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void {
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
}

/** An item set's groups and items are declared ones. */
function checkItemSets(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const itemIds = new Set(cycle.questionnaire.items.map((item) => item.id));
  cycle.questionnaire.itemSets.forEach((set, index) => {
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
}

/**
 * Each multi-select question: option ids unique, groups known, at least one group asked, and a
 * group answering in one delimited cell has no option columns as well.
 */
function checkMultiSelect(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  cycle.questionnaire.multiSelect.forEach((question, index) => {
    reportDuplicates(
      question.options.map((option) => option.id),
      ["questionnaire", "multiSelect", index, "options"],
      ctx,
    );
    for (const group of Object.keys(question.delimited)) {
      if (!groupIds.has(group)) {
        ctx.addIssue({ code: "custom", path: ["questionnaire", "multiSelect", index, "delimited", group], message: `unknown group "${group}"` });
      }
    }
    if (groupsAskedMultiSelect(question).length === 0) {
      ctx.addIssue({ code: "custom", path: ["questionnaire", "multiSelect", index], message: "at least one group must be asked (option columns or delimited)" });
    }
    question.options.forEach((option, optionIndex) => {
      for (const group of Object.keys(option.columns)) {
        const path = ["questionnaire", "multiSelect", index, "options", optionIndex, "columns", group];
        if (!groupIds.has(group)) ctx.addIssue({ code: "custom", path, message: `unknown group "${group}"` });
        else if (question.delimited[group] !== undefined) ctx.addIssue({ code: "custom", path, message: `group "${group}" answers this question in one delimited cell; give it no option columns` });
      }
    });
  });
}

/** A subgroup variable's columns name known groups, and at least one group is asked it. */
function checkSubgroupVariables(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  cycle.questionnaire.subgroupVariables.forEach((variable, index) => {
    checkAskedGroups(variable.columns, ["questionnaire", "subgroupVariables", index, "columns"], groupIds, ctx);
  });
}

/** An open-text question's columns name known groups, and its codebook's ids are unique. */
function checkOpenText(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  cycle.questionnaire.openText.forEach((question, index) => {
    checkAskedGroups(question.columns, ["questionnaire", "openText", index, "columns"], groupIds, ctx);
    reportDuplicates(question.codebook.map((code) => code.id), ["questionnaire", "openText", index, "codebook"], ctx);
  });
}

/** Comparison ids are unique, and each comparison refers only to what the cycle declares. */
function checkComparisons(cycle: CycleConfig, groupIds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const q = cycle.questionnaire;
  const declared: Declared = {
    groupIds,
    itemIds: new Set(q.items.map((item) => item.id)),
    variableIds: new Set(q.subgroupVariables.map((variable) => variable.id)),
    scaleOf: new Map(q.items.map((item) => [item.id, q.scales.find((scale) => scale.id === item.scale)])),
  };
  reportDuplicates(cycle.comparisons.map((comparison) => comparison.id), ["comparisons"], ctx);
  cycle.comparisons.forEach((comparison, index) => checkComparison(cycle, comparison, index, declared, ctx));
}

/**
 * One comparison: its items known (and the measured category one of each item's), its groups
 * known, its subgroup variable declared, and a year-on-year comparison only where there is a
 * previous cycle.
 */
function checkComparison(
  cycle: CycleConfig,
  comparison: Comparison,
  index: number,
  declared: Declared,
  ctx: z.RefinementCtx,
): void {
  const at = (...path: IssuePath) => ["comparisons", index, ...path];
  const items = comparison.kind === "groups" ? [comparison.item] : comparison.items;
  items.forEach((id, itemIndex) => {
    const path = comparison.kind === "groups" ? at("item") : at("items", itemIndex);
    if (!declared.itemIds.has(id)) {
      ctx.addIssue({ code: "custom", path, message: `unknown item "${id}"` });
      return;
    }
    const measure = comparison.measure;
    if (typeof measure === "object" && !declared.scaleOf.get(id)?.categories.includes(measure.category)) {
      ctx.addIssue({ code: "custom", path: at("measure", "category"), message: `"${measure.category}" is not a category of item "${id}"` });
    }
  });
  comparison.groups.forEach((group, groupIndex) => {
    if (!declared.groupIds.has(group)) ctx.addIssue({ code: "custom", path: at("groups", groupIndex), message: `unknown group "${group}"` });
  });
  if (comparison.kind === "subgroups" && !declared.variableIds.has(comparison.variable)) {
    ctx.addIssue({ code: "custom", path: at("variable"), message: `unknown subgroup variable "${comparison.variable}"` });
  }
  if (comparison.kind === "years" && cycle.previousCycleId === undefined) {
    ctx.addIssue({ code: "custom", path: at("kind"), message: "year-on-year comparisons need previousCycleId" });
  }
}

/** Refuses an export column that two fields of one group read (a copy-paste slip in the cycle file). */
function reportColumnsUsedTwice(cycle: CycleConfig, ctx: z.RefinementCtx): void {
  const q = cycle.questionnaire;
  const uses: { group: string; column: string; path: IssuePath }[] = [];
  const add = (columns: Record<string, string>, path: IssuePath) => {
    for (const [group, column] of Object.entries(columns)) uses.push({ group, column, path: [...path, group] });
  };
  q.items.forEach((item, i) => add(item.columns, ["questionnaire", "items", i, "columns"]));
  q.subgroupVariables.forEach((variable, i) => add(variable.columns, ["questionnaire", "subgroupVariables", i, "columns"]));
  q.openText.forEach((question, i) => add(question.columns, ["questionnaire", "openText", i, "columns"]));
  q.multiSelect.forEach((question, i) => {
    question.options.forEach((option, k) => add(option.columns, ["questionnaire", "multiSelect", i, "options", k, "columns"]));
    for (const [group, cell] of Object.entries(question.delimited)) uses.push({ group, column: cell.column, path: ["questionnaire", "multiSelect", i, "delimited", group, "column"] });
  });
  cycle.groups.forEach((group, g) => {
    for (const [field, column] of Object.entries(group.source.columns)) {
      if (column !== undefined && !column.startsWith("@")) uses.push({ group: group.id, column, path: ["groups", g, "source", "columns", field] });
    }
  });
  const first = new Map<string, IssuePath>();
  for (const use of uses) {
    const key = `${use.group}\u0000${normalizeLabel(use.column)}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, use.path);
    else ctx.addIssue({ code: "custom", path: use.path, message: `column "${use.column}" of group "${use.group}" is already used at ${formatPath(earlier)}` });
  }
}

/** Reports every id after its first use, at `path[index].id`. */
function reportDuplicates(ids: string[], path: IssuePath, ctx: z.RefinementCtx): void {
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
