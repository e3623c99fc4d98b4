import { computeResults } from "../../lib/survey/compute/computeResults.ts";
import { createLogger } from "../../lib/logging/createLogger.ts";
import { summarizeResults } from "../../lib/survey/results/summarizeResults.ts";
import type { CliCommand } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";

/** `asye compute`: recomputes a cycle's results from the current batches. */
export const compute: CliCommand = {
  name: "compute",
  summary: "Recompute a cycle's results from each group's current export and print the summary.",
  usage: "asye compute <cycleId>",
  positionals: { min: 1, max: 1 },
  async run(_values, [cycleId]) {
    return withRuntime(async (runtime) => {
      const { document } = await computeResults(cycleId!, { store: runtime.store, ledger: runtime.ledger, recipients: runtime.recipients, log: createLogger() });
      console.log(summarizeResults(document));
      return 0;
    });
  },
};
