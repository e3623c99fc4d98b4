import { readFileSync } from "node:fs";
import { parseCycleConfig } from "../../lib/config/parseCycleConfig.ts";
import type { CliCommand } from "../cli.ts";

/** `asye validate`: checks a cycle file. */
export const validate: CliCommand = {
  name: "validate",
  summary: "Check a cycle file: every problem is printed with its path in the file.",
  usage: "asye validate <cycle.json>",
  positionals: { min: 1, max: 1 },
  async run(_values, [file]) {
    const config = parseCycleConfig(readFileSync(file!, "utf8"), file!);
    const q = config.questionnaire;
    console.log(
      `${file}: valid cycle ${config.id} with ${config.groups.length} groups, ${q.items.length} items, ${q.itemSets.length} item sets, ${q.multiSelect.length} multi-select questions`,
    );
    for (const group of config.groups) console.log(`  ${group.id}: exports from ${group.source.tool}`);
    return 0;
  },
};
