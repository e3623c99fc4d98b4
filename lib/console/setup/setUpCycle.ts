import { storeCycle } from "../../config/cycleStore.ts";
import type { AnyCycle } from "../../config/parseAnyCycle.ts";
import { storageKeys } from "../../storageKeys.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";

/**
 * Stores a validated cycle as the CLI does (saveCycle's storeCycle), unless a cycle of that id is
 * set up already: then the problem, in the CLI's `path: message` form.
 */
export async function setUpCycle(cycle: AnyCycle, from: string, deps: ConsoleDeps): Promise<string | undefined> {
  const key = storageKeys.cycleConfig(cycle.config.id);
  if ((await deps.store.getText(key)) !== undefined) return `id: a cycle "${cycle.config.id}" is set up already (${key}): choose another id`;
  await storeCycle(deps.store, cycle);
  deps.log.info("a cycle was set up in the console", { cycleId: cycle.config.id, kind: cycle.kind, from });
  return undefined;
}

