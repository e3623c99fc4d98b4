import type { TodoField } from "./todoFields.ts";

/** The lists of the questionnaire a person may leave a drafted entry out of. */
type OmittableList = "items" | "multiSelect";

/** An item or multi-select question a person may leave out (its column is no question reported as a share). */
export interface OmitField {
  /** The checkbox's name (`oi3`: item 3; `om0`: multi-select question 0). */
  name: string;
  list: OmittableList;
  index: number;
  /** The form's section it is shown in (the item's or question's own). */
  section: string;
}

/** The value a ticked "leave out" checkbox sends. */
export const LEAVE_OUT = "leave-out";

/** Every drafted item and multi-select question with decisions in the form, each once, in the form's order. */
export function omitFields(fields: readonly TodoField[]): OmitField[] {
  const found = new Map<string, OmitField>();
  for (const field of fields) {
    const [first, list, index, part] = field.at;
    if (first !== "questionnaire" || (list !== "items" && list !== "multiSelect") || typeof index !== "number" || part === "options") continue;
    const name = `o${list === "items" ? "i" : "m"}${index}`;
    if (!found.has(name)) found.set(name, { name, list, index, section: field.section });
  }
  return [...found.values()];
}

type Questionnaire = Record<string, unknown[] | undefined>;

/**
 * The filled draft without the items and questions a person left out, and without the scales no
 * item uses any more (a scale still holding a TODO is refused, used or not). `renumber` turns a
 * problem's path in the result back into the draft's, so it is shown beside the right field.
 */
export function leaveOut(filled: unknown, omits: readonly OmitField[], answers: Readonly<Record<string, readonly string[]>>): { filled: unknown; renumber: (path: string) => string } {
  const left = omits.filter((omit) => answers[omit.name]?.includes(LEAVE_OUT) === true);
  const q = (filled as { questionnaire?: Questionnaire }).questionnaire;
  if (left.length === 0 || q === undefined) return { filled, renumber: (path) => path };
  const kept: Record<string, number[]> = {};
  const keep = (list: "items" | "multiSelect" | "scales", retained: (entry: unknown, index: number) => boolean) => {
    const entries = q[list] ?? [];
    kept[list] = entries.flatMap((entry, index) => (retained(entry, index) ? [index] : []));
    q[list] = kept[list].map((index) => entries[index]);
  };
  keep("items", (_entry, index) => !left.some((omit) => omit.list === "items" && omit.index === index));
  keep("multiSelect", (_entry, index) => !left.some((omit) => omit.list === "multiSelect" && omit.index === index));
  const used = new Set(((q.items ?? []) as { scale?: unknown }[]).map((item) => item.scale));
  keep("scales", (scale) => used.has((scale as { id?: unknown }).id));
  const renumber = (path: string) => path.replace(/^questionnaire\.(items|multiSelect|scales)\[(\d+)\]/u, (_whole, list: string, index: string) => `questionnaire.${list}[${kept[list]?.[Number(index)] ?? index}]`);
  return { filled, renumber };
}
