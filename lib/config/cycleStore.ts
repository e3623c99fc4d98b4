import { CycleConfigError, UnknownCycleError } from "../errors.ts";
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
  return parseStoredConfig(text, key, cycleId);
}

/** A stored cycle file must carry the id of the key it is stored under, or it could pose as another cycle. */
function parseStoredConfig(text: string, key: string, cycleId: string): CycleConfig {
  const config = parseCycleConfig(text, key);
  if (config.id !== cycleId) throw new CycleConfigError(key, [`id: "${config.id}" does not match the key it is stored under (cycles/${cycleId}/cycle.json)`]);
  return config;
}

/**
 * Every stored cycle configuration, in key order; those that fail validation are returned
 * apart with the reason, so one bad file does not hide the others.
 */
export async function listCycleConfigs(
  store: ObjectStore,
): Promise<{ configs: CycleConfig[]; invalid: { key: string; error: string }[] }> {
  const configs: CycleConfig[] = [];
  const invalid: { key: string; error: string }[] = [];
  for (const key of (await store.list("cycles/")).filter((k) => k.endsWith("/cycle.json")).sort()) {
    try {
      configs.push(parseStoredConfig((await store.getText(key)) ?? "", key, key.split("/")[1]!));
    } catch (error) {
      invalid.push({ key, error: String(error) });
    }
  }
  return { configs, invalid };
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
