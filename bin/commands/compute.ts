import type { CliCommand } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";

/** `asye compute`: recomputes a cycle's results from the current batches. */
export const compute: CliCommand = {
  name: "compute",
  summary: "Recompute a cycle's results from each group's current export and print the summary.",
  usage: "asye compute <cycleId>",
  positionals: { min: 1, max: 1 },
  async run(_values, [cycleId]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { loadCycle } = await import("../../lib/config/cycleStore.ts");
    return withRuntime(async (runtime) => {
      const cycle = await loadCycle(runtime.store, cycleId!);
      // The compute function as an ingest receipt invokes it; queued work (360 reports) follows through the queue.
      const { handler } = await import("../../functions/compute.ts");
      const [computed] = await handler({ cycleId: cycleId! });
      await runtime.idle();
      const text = await runtime.store.getText(computed!.key);
      if (text === undefined) throw new Error(`the compute of ${cycleId} published no results`);
      console.log(cycle.type.summarize(cycle.type.resultsSchema.parse(JSON.parse(text))));
      return 0;
    });
  },
};
