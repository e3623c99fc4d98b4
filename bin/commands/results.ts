import type { CliCommand } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";

/** `asye results`: prints the stored results of a cycle. */
export const results: CliCommand = {
  name: "results",
  summary: "Print a cycle's computed results: the summary, or the whole JSON document with --json.",
  usage: "asye results <cycleId> [--json]",
  options: { json: { type: "boolean" } },
  optionHelp: { json: "print the whole results document" },
  positionals: { min: 1, max: 1 },
  async run(values, [cycleId]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { loadCycle } = await import("../../lib/config/cycleStore.ts");
    const { storageKeys } = await import("../../lib/storageKeys.ts");
    return withRuntime(async (runtime) => {
      const text = await runtime.store.getText(storageKeys.results(cycleId!));
      if (text === undefined) {
        console.error(`no results for ${cycleId}: run \`asye compute ${cycleId}\``);
        return 1;
      }
      if (values.json) {
        console.log(text);
        return 0;
      }
      const cycle = await loadCycle(runtime.store, cycleId!);
      console.log(cycle.type.summarize(cycle.type.resultsSchema.parse(JSON.parse(text))));
      return 0;
    });
  },
};
