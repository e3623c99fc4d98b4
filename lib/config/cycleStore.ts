import { CycleConfigError, UnknownCycleError } from "../errors.ts";
import type { LoadedCycle } from "../kinds/cycleKind.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { storageKeys } from "../storageKeys.ts";
import { type AnyCycle, parseAnyCycle } from "./parseAnyCycle.ts";

/**
 * Loads and validates a stored cycle of any kind.
 * Throws {@link UnknownCycleError} when none is stored, `CycleConfigError` when it is invalid.
 */
export async function loadCycle(store: ObjectStore, cycleId: string): Promise<AnyCycle> {
  const key = storageKeys.cycleConfig(cycleId);
  const text = await store.getText(key);
  if (text === undefined) throw new UnknownCycleError(cycleId);
  return parseStored(text, key, cycleId);
}

/** A stored cycle file must carry the id of the key it is stored under, or it could pose as another cycle. */
function parseStored(text: string, key: string, cycleId: string): AnyCycle {
  const cycle = parseAnyCycle(text, key);
  if (cycle.config.id !== cycleId) throw new CycleConfigError(key, [`id: "${cycle.config.id}" does not match the key it is stored under (cycles/${cycleId}/cycle.json)`]);
  return cycle;
}

/**
 * Every stored cycle of every kind, in key order. Those that fail validation are returned apart
 * with the reason, so one bad file does not hide the others.
 */
export async function listCycles(store: ObjectStore): Promise<{ cycles: LoadedCycle[]; invalid: { key: string; error: string }[] }> {
  const cycles: LoadedCycle[] = [];
  const invalid: { key: string; error: string }[] = [];
  for (const key of (await store.list("cycles/")).filter((k) => k.endsWith("/cycle.json")).sort()) {
    try {
      cycles.push(parseStored((await store.getText(key)) ?? "", key, key.split("/")[1]!));
    } catch (error) {
      invalid.push({ key, error: String(error) });
    }
  }
  return { cycles, invalid };
}

/** Validates a cycle file of any kind and stores it where ingest and compute will find it. */
export async function saveCycle(store: ObjectStore, text: string, source: string): Promise<AnyCycle> {
  const cycle = parseAnyCycle(text, source);
  await storeCycle(store, cycle);
  return cycle;
}

/** Stores a validated cycle where ingest and compute will find it (its configuration, defaults filled in). */
export async function storeCycle(store: ObjectStore, cycle: LoadedCycle): Promise<void> {
  await store.put(storageKeys.cycleConfig(cycle.config.id), `${JSON.stringify(cycle.config, null, 2)}\n`, "application/json");
}
