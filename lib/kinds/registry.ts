import { evaluation360Kind } from "../evaluation360/kind.ts";
import { outcomesKind } from "../outcomes/kind.ts";
import { surveyKind } from "../survey/kind.ts";
import type { CycleKind } from "./cycleKind.ts";

/**
 * Every kind of cycle, in the order cycles are listed. A new kind is a folder exporting its
 * `CycleKind` and one line here.
 */
const BUILT_IN: readonly CycleKind[] = [
  surveyKind,
  evaluation360Kind,
  outcomesKind,
];

const registered = new Map<string, CycleKind>(BUILT_IN.map((kind) => [kind.name, kind]));

/** The kind of a cycle file that names none (cycle files written before there were other kinds). */
export const DEFAULT_KIND: CycleKind = surveyKind;

/** Every registered kind, in listing order. */
export function cycleKinds(): CycleKind[] {
  return [...registered.values()];
}

/** The kind a cycle file or results document names, or undefined when no such kind is registered. */
export function cycleKindNamed(name: string): CycleKind | undefined {
  return registered.get(name);
}

/**
 * Registers a kind at run time (a kind kept outside this repository, or a test's). Returns the
 * function that takes it out again.
 */
export function registerCycleKind(kind: CycleKind): () => void {
  if (registered.has(kind.name)) throw new Error(`a cycle kind named "${kind.name}" is already registered`);
  registered.set(kind.name, kind);
  return () => registered.delete(kind.name);
}
