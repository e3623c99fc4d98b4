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
      configs.push(parseCycleConfig((await store.getText(key)) ?? "", key));
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
