import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { saveCycle } from "../../lib/config/cycleStore.ts";
import type { ObjectStore } from "../../lib/ports/objectStore.ts";
import { storageKeys } from "../../lib/storageKeys.ts";

/**
 * The example cycles, each after those it reads: 2025's rank changes are read from 2024's
 * results, and its NQSW figures are weighted to the outcome records' registrations. The annual
 * survey's, the outcome records and the 360 tool's.
 */
export const EXAMPLE_CYCLES = ["asye-cf-2024", "asye-outcomes-2025", "asye-cf-2025", "asye-360-2024", "asye-360-2025"] as const;

/** The example cycles whose summary `npm start` prints (the latest of each kind). */
export const SUMMARIZED_CYCLES: readonly string[] = ["asye-cf-2025", "asye-360-2025", "asye-outcomes-2025"];

/**
 * Stores a cycle folder's configuration (of either kind) and any coding files, then uploads each
 * `exports/{group}.csv` to `uploads/{cycleId}/{group}/{group}.csv`, the way the survey team does
 * (a 360 cycle's `exports/responses.csv` holds every organisation's responses).
 */
export async function uploadCycleFolder(store: ObjectStore, folder: string): Promise<string> {
  const configPath = join(folder, "cycle.json");
  const { config, type } = await saveCycle(store, readFileSync(configPath, "utf8"), configPath);
  // The analyst's coding of open-text answers (coding/{question}.csv), read by every compute.
  if (existsSync(join(folder, "coding"))) {
    for (const file of readdirSync(join(folder, "coding")).filter((name) => name.endsWith(".csv"))) {
      await store.put(storageKeys.codingFile(config.id, basename(file, ".csv")), readFileSync(join(folder, "coding", file)), "text/csv");
    }
  }
  for (const file of readdirSync(join(folder, "exports"))
    .filter((name) => name.endsWith(".csv"))
    .sort()) {
    const group = basename(file, ".csv");
    // Personal data (outcome records) goes under personal/; earlier years' counts (aggregates.csv) do not.
    await uploadExport(store, config.id, group, join(folder, "exports", file), type.isPersonalPlace(config, group));
  }
  return config.id;
}

/** Uploads one export file (streamed) to its place under `uploads/`, or `personal/uploads/` for personal data. */
export async function uploadExport(
  store: ObjectStore,
  cycleId: string,
  group: string,
  path: string,
  personal = false,
): Promise<string> {
  const key = (personal ? storageKeys.personalUpload : storageKeys.upload)(cycleId, group, basename(path));
  const type = path.endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : path.endsWith(".tsv") ? "text/tab-separated-values" : "text/csv";
  await store.putStream(key, createReadStream(path), type);
  return key;
}
