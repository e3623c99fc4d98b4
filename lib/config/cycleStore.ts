import { CycleConfigError, UnknownCycleError } from "../errors.ts";
import type { EvaluationConfig } from "../evaluation360/evaluationConfig.ts";
import type { OutcomesConfig } from "../outcomes/outcomesConfig.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { storageKeys } from "../storageKeys.ts";
import type { CycleConfig } from "../survey/config/cycleConfig.ts";
import { type AnyCycle, parseAnyCycle } from "./parseAnyCycle.ts";

/**
 * Loads and validates a stored cycle of either kind.
 * Throws {@link UnknownCycleError} when none is stored, `CycleConfigError` when it is invalid.
 */
export async function loadCycle(store: ObjectStore, cycleId: string): Promise<AnyCycle> {
  const key = storageKeys.cycleConfig(cycleId);
  const text = await store.getText(key);
  if (text === undefined) throw new UnknownCycleError(cycleId);
  return parseStored(text, key, cycleId);
}

/** Loads an annual-survey cycle; a 360 cycle stored under the id is a `CycleConfigError`. */
export async function loadCycleConfig(store: ObjectStore, cycleId: string): Promise<CycleConfig> {
  const cycle = await loadCycle(store, cycleId);
  if (cycle.kind !== "survey") throw new CycleConfigError(storageKeys.cycleConfig(cycleId), [`kind: this is a ${cycle.kind} cycle, not an annual-survey cycle`]);
  return cycle.config;
}

/** A stored cycle file must carry the id of the key it is stored under, or it could pose as another cycle. */
function parseStored(text: string, key: string, cycleId: string): AnyCycle {
  const cycle = parseAnyCycle(text, key);
  if (cycle.config.id !== cycleId) throw new CycleConfigError(key, [`id: "${cycle.config.id}" does not match the key it is stored under (cycles/${cycleId}/cycle.json)`]);
  return cycle;
}

/**
 * Every stored cycle, in key order: annual-survey cycles (`configs`), 360 cycles
 * (`evaluations`) and outcome-record cycles (`outcomes`). Those that fail validation are returned apart with the reason, so one bad
 * file does not hide the others.
 */
export async function listCycleConfigs(
  store: ObjectStore,
): Promise<{ configs: CycleConfig[]; evaluations: EvaluationConfig[]; outcomes: OutcomesConfig[]; invalid: { key: string; error: string }[] }> {
  const configs: CycleConfig[] = [];
  const evaluations: EvaluationConfig[] = [];
  const outcomes: OutcomesConfig[] = [];
  const invalid: { key: string; error: string }[] = [];
  for (const key of (await store.list("cycles/")).filter((k) => k.endsWith("/cycle.json")).sort()) {
    try {
      const cycle = parseStored((await store.getText(key)) ?? "", key, key.split("/")[1]!);
      if (cycle.kind === "survey") configs.push(cycle.config);
      else if (cycle.kind === "evaluation360") evaluations.push(cycle.config);
      else outcomes.push(cycle.config);
    } catch (error) {
      invalid.push({ key, error: String(error) });
    }
  }
  return { configs, evaluations, outcomes, invalid };
}

/** Validates a cycle file of either kind and stores it where ingest and compute will find it. */
export async function saveCycle(store: ObjectStore, text: string, source: string): Promise<AnyCycle> {
  const cycle = parseAnyCycle(text, source);
  await store.put(storageKeys.cycleConfig(cycle.config.id), `${JSON.stringify(cycle.config, null, 2)}\n`, "application/json");
  return cycle;
}

/** Validates an annual-survey cycle file and stores it where ingest and compute will find it. */
export async function saveCycleConfig(store: ObjectStore, text: string, source: string): Promise<CycleConfig> {
  const cycle = parseAnyCycle(text, source);
  if (cycle.kind !== "survey") throw new CycleConfigError(source, [`kind: this is a ${cycle.kind} cycle, not an annual-survey cycle`]);
  await store.put(storageKeys.cycleConfig(cycle.config.id), `${JSON.stringify(cycle.config, null, 2)}\n`, "application/json");
  return cycle.config;
}
