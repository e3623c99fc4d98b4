import { listCycles, loadCycle, storeCycle } from "../../config/cycleStore.ts";
import { parseAnyCycle } from "../../config/parseAnyCycle.ts";
import { CycleConfigError } from "../../errors.ts";
import { asCycleOf, type LoadedCycle } from "../../kinds/cycleKind.ts";
import type { ObjectStore } from "../../ports/objectStore.ts";
import { storageKeys } from "../../storageKeys.ts";
import { surveyKind } from "../kind.ts";
import type { CycleConfig } from "./cycleConfig.ts";

/** Loads an annual-survey cycle; a cycle of another kind stored under the id is a `CycleConfigError`. */
export async function loadCycleConfig(store: ObjectStore, cycleId: string): Promise<CycleConfig> {
  return surveyCycle(await loadCycle(store, cycleId), storageKeys.cycleConfig(cycleId)).config;
}

/** Validates an annual-survey cycle file and stores it where ingest and compute will find it. */
export async function saveCycleConfig(store: ObjectStore, text: string, source: string): Promise<CycleConfig> {
  const cycle = surveyCycle(parseAnyCycle(text, source), source);
  await storeCycle(store, cycle);
  return cycle.config;
}

/** Every stored annual-survey cycle, in key order, and the stored cycle files that are invalid. */
export async function listSurveyCycles(store: ObjectStore): Promise<{ configs: CycleConfig[]; invalid: { key: string; error: string }[] }> {
  const { cycles, invalid } = await listCycles(store);
  return { configs: cycles.flatMap((cycle) => asCycleOf(cycle, surveyKind)?.config ?? []), invalid };
}

/** The cycle as a survey cycle, or a `CycleConfigError` for a cycle of another kind. */
function surveyCycle(cycle: LoadedCycle, source: string): LoadedCycle<CycleConfig> {
  const survey = asCycleOf(cycle, surveyKind);
  if (survey === undefined) throw new CycleConfigError(source, [`kind: this is a ${cycle.kind} cycle, not an annual-survey cycle`]);
  return survey;
}
