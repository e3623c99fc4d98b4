import { UnknownCycleError } from "../errors.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { storageKeys } from "../storageKeys.ts";
import type { CycleConfig } from "./cycleConfig.ts";
import { parseCycleConfig } from "./parseCycleConfig.ts";

/**
 * Loads and validates a cycle's configuration from storage.
 * Throws {@link UnknownCycleError} when none is stored, `CycleConfigError` when it is invalid.
 */
export async function loadCycleConfig(store: ObjectStore, cycleId: string): Promise<CycleConfig> {
  const key = storageKeys.cycleConfig(cycleId);
  const text = await store.getText(key);
  if (text === undefined) throw new UnknownCycleError(cycleId);
  return parseCycleConfig(text, key);
}

/** Validates a cycle configuration and stores it where ingest and compute will find it. */
export async function saveCycleConfig(
  store: ObjectStore,
  text: string,
  source: string,
): Promise<CycleConfig> {
  const config = parseCycleConfig(text, source);
  await store.put(
    storageKeys.cycleConfig(config.id),
    `${JSON.stringify(config, null, 2)}\n`,
    "application/json",
  );
  return config;
}
