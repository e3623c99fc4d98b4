import { z } from "zod";

/**
 * Adding a group to a draft in progress: another group's export, drafted by the same code
 * (`draftCycle`) under its own group id, merged into the draft. Its group joins `groups` (its
 * label and delivered count are then TODOs of the form); each of its columns goes onto an
 * existing item on the same answers (a person chooses which, the header's words propose one),
 * becomes a new item, or is left out; its scales are the draft's where the answers are the same.
 */

const scaleSchema = z.looseObject({ id: z.string(), categories: z.array(z.unknown()) });
const itemSchema = z.looseObject({ id: z.unknown(), text: z.unknown(), scale: z.string(), columns: z.record(z.string(), z.string()) });
const draftShapeSchema = z.looseObject({
  groups: z.array(z.looseObject({ id: z.string() })).min(1),
  serviceArea: z.unknown().optional(),
  questionnaire: z.looseObject({
    scales: z.array(scaleSchema),
    items: z.array(itemSchema),
    multiSelect: z.array(z.looseObject({})).optional(),
  }),
});

/** The parts of a drafted cycle file the merge reads (the rest is kept as it is). */
export type DraftShape = z.infer<typeof draftShapeSchema>;

/** A drafted cycle file as the merge reads it; undefined when it is not one (a draft is stored JSON: checked again). */
export function readDraftShape(cycle: unknown): DraftShape | undefined {
  const parsed = draftShapeSchema.safeParse(cycle);
  return parsed.success ? parsed.data : undefined;
}

/** Where one column of the added export goes: onto an existing item (its index), a new item, or nowhere. */
export type ColumnChoice = { onto: number } | "new" | "leave-out";

/** One column of the added export, and the existing items it may go onto (those on the same answers). */
export interface AddedColumn {
  /** The added draft's item index (the form's field `c{index}`). */
  index: number;
  header: string;
  /** The existing items on the same answers, by index: the only ones it may go onto. */
  candidates: number[];
  /** What the header's words propose. */
  proposed: ColumnChoice;
}

/** The added draft's scale ids, each as the draft in progress calls the scale with the same answers (or a fresh id). */
export function scaleMapping(base: DraftShape, added: DraftShape, group: string): Map<string, string> {
  const mapping = new Map<string, string>();
  const taken = new Set(base.questionnaire.scales.map((scale) => scale.id));
  for (const scale of added.questionnaire.scales) {
    const same = base.questionnaire.scales.find((other) => JSON.stringify(other.categories) === JSON.stringify(scale.categories));
    if (same !== undefined) {
      mapping.set(scale.id, same.id);
      continue;
    }
    let id = taken.has(scale.id) ? `${scale.id}-${group}` : scale.id;
    for (let n = 2; taken.has(id); n++) id = `${scale.id}-${group}-${n}`;
    taken.add(id);
    mapping.set(scale.id, id);
  }
  return mapping;
}

const STOP = new Set(["a", "an", "and", "are", "as", "do", "for", "how", "in", "is", "it", "its", "my", "of", "on", "or", "the", "to", "you", "your", "i"]);

/** A header's words without its question number (`Q5.1`, `Q4_1`, `Q12a`), stop words, or endings (first five letters). */
export function headerWords(header: string): Set<string> {
  const text = header.replace(/^\s*Q\d+(?:[._]\d+)?[a-z]?\b\.?\s*/iu, "").toLowerCase();
  return new Set(text.split(/[^\p{L}\p{N}+]+/u).filter((word) => word !== "" && !STOP.has(word)).map((word) => word.slice(0, 5)));
}

/** How alike two headers' words are: the words shared over the shorter's count (0 when fewer than two are shared). */
export function headerLikeness(a: string, b: string): number {
  const left = headerWords(a);
  const right = headerWords(b);
  const shared = [...left].filter((word) => right.has(word)).length;
  return shared < 2 ? 0 : shared / Math.min(left.size, right.size);
}

/** The least likeness at which a header proposes an existing item. */
export const LIKENESS_TO_PROPOSE = 0.6;

/**
 * The added export's columns, each with the existing items it may go onto (same answers, no
 * column for this group yet) and what its header proposes: the likest pairs first, each item once.
 */
export function addedColumns(base: DraftShape, added: DraftShape, group: string): AddedColumn[] {
  const scales = scaleMapping(base, added, group);
  const columns = added.questionnaire.items.map((item, index): AddedColumn => {
    const header = Object.values(item.columns)[0] ?? "";
    const scale = scales.get(item.scale) ?? item.scale;
    const candidates = base.questionnaire.items.flatMap((other, at) => (other.scale === scale && other.columns[group] === undefined ? [at] : []));
    return { index, header, candidates, proposed: "new" };
  });
  const pairs = columns.flatMap((column) =>
    column.candidates.map((at) => ({ column, at, likeness: Math.max(...Object.values(base.questionnaire.items[at]!.columns).map((header) => headerLikeness(column.header, header))) })),
  );
  pairs.sort((x, y) => y.likeness - x.likeness || x.column.index - y.column.index || x.at - y.at);
  const used = new Set<number>();
  for (const { column, at, likeness } of pairs) {
    if (likeness < LIKENESS_TO_PROPOSE || column.proposed !== "new" || used.has(at)) continue;
    column.proposed = { onto: at };
    used.add(at);
  }
  return columns;
}

/** What is wrong with a set of choices, by the added draft's item index; empty when they can be merged. */
export function choiceProblems(columns: readonly AddedColumn[], choices: ReadonlyMap<number, ColumnChoice>, base: DraftShape): Map<number, string> {
  const problems = new Map<number, string>();
  const onto = new Map<number, AddedColumn>();
  for (const column of columns) {
    const choice = choices.get(column.index) ?? column.proposed;
    if (typeof choice !== "object") continue;
    if (!column.candidates.includes(choice.onto)) {
      problems.set(column.index, `Column “${column.header}” has other answers than that item: choose an item on the same answers, a new item, or leave it out`);
      continue;
    }
    const before = onto.get(choice.onto);
    if (before !== undefined) {
      const item = Object.values(base.questionnaire.items[choice.onto]?.columns ?? {})[0] ?? "";
      problems.set(column.index, `Column “${column.header}” and column “${before.header}” both go onto the item of column “${item}”: an item has one column for each group`);
    }
    onto.set(choice.onto, column);
  }
  return problems;
}

/**
 * The draft in progress with the added group merged in: its group appended, its columns onto the
 * chosen items or appended as new items (their TODOs then asked), its new scales and multi-select
 * questions appended, and the service area's answers taken when the draft had none. Existing
 * entries keep their places, so the answers given so far still fit.
 */
export function mergeGroup(base: DraftShape, added: DraftShape, group: string, choices: ReadonlyMap<number, ColumnChoice>): DraftShape {
  const merged = structuredClone(base);
  const q = merged.questionnaire;
  const scales = scaleMapping(base, added, group);
  merged.groups.push(structuredClone(added.groups[0]!));
  if (merged.serviceArea === undefined && added.serviceArea !== undefined) merged.serviceArea = structuredClone(added.serviceArea);
  const used = new Set<string>();
  added.questionnaire.items.forEach((item, index) => {
    const choice = choices.get(index) ?? "new";
    if (choice === "leave-out") return;
    const scale = scales.get(item.scale) ?? item.scale;
    used.add(item.scale);
    if (choice === "new") q.items.push({ ...structuredClone(item), scale });
    else Object.assign(q.items[choice.onto]!.columns, item.columns);
  });
  for (const scale of added.questionnaire.scales) {
    const id = scales.get(scale.id)!;
    if (used.has(scale.id) && !q.scales.some((other) => other.id === id)) q.scales.push({ ...structuredClone(scale), id });
  }
  const questions = structuredClone(added.questionnaire.multiSelect ?? []);
  if (questions.length > 0) q.multiSelect = [...(q.multiSelect ?? []), ...questions];
  return merged;
}

/** What the merge did, in the words the draft's "what it found" shows. */
export function mergeSummary(group: string, exportName: string, columns: readonly AddedColumn[], choices: ReadonlyMap<number, ColumnChoice>): string[] {
  const count = (wanted: (choice: ColumnChoice) => boolean) => columns.filter((column) => wanted(choices.get(column.index) ?? "new")).length;
  return [
    `Added group ${group} from ${exportName}: ${count((choice) => typeof choice === "object")} columns onto existing items, ${count((choice) => choice === "new")} new items, ${count((choice) => choice === "leave-out")} left out`,
  ];
}
