import { loadCycle } from "../config/cycleStore.ts";
import type { ComputeDeps, ComputedCycle } from "../kinds/cycleKind.ts";

/**
 * Computes a cycle of any kind and publishes its outputs (or queues the work that will): the one
 * use case behind the compute function, the CLI and the local runtime.
 */
export async function computeCycle(cycleId: string, deps: ComputeDeps): Promise<ComputedCycle> {
  const cycle = await loadCycle(deps.store, cycleId);
  return cycle.type.compute(cycle.config, deps);
}
