import { readFileSync } from "node:fs";
import { type CliCommand, UsageError } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";

/** `asye recipients`: stores a group's recipient list for invitations and reminders. */
export const recipients: CliCommand = {
  name: "recipients",
  summary: "Store the cycle file and one group's recipient list (email, name, token, opted_out).",
  usage: "asye recipients <cycle.json> <group> <list.csv>",
  positionals: { min: 3, max: 3 },
  async run(_values, [cycleFile, group, list]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { saveCycleConfig } = await import("../../lib/survey/config/surveyCycleStore.ts");
    const { loadRecipients } = await import("../../scripts/local/loadRecipients.ts");
    return withRuntime(async (runtime) => {
      const config = await saveCycleConfig(runtime.store, readFileSync(cycleFile!, "utf8"), cycleFile!);
      if (!config.groups.some((g) => g.id === group)) throw new UsageError(`unknown group "${group}" in ${config.id}`);
      const loaded = await loadRecipients(runtime.recipients, config.id, group!, list!, new Date());
      console.log(`${list}: ${loaded.stored} recipients stored for ${config.id}/${group}, ${loaded.merged} duplicates merged`);
      for (const problem of loaded.problems) console.log(`  row ${problem.row}, ${problem.column} "${problem.value}": ${problem.reason}`);
      return 0;
    });
  },
};
