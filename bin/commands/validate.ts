import { readFileSync } from "node:fs";
import { parseAnyCycle } from "../../lib/config/parseAnyCycle.ts";
import type { CliCommand } from "../cli.ts";

/** `asye validate`: checks a cycle file. */
export const validate: CliCommand = {
  name: "validate",
  summary: "Check a cycle file (annual survey or 360 tool): every problem is printed with its path in the file.",
  usage: "asye validate <cycle.json>",
  positionals: { min: 1, max: 1 },
  async run(_values, [file]) {
    const cycle = parseAnyCycle(readFileSync(file!, "utf8"), file!);
    if (cycle.kind === "evaluation360") {
      const c = cycle.config;
      console.log(
        `${file}: valid 360 cycle ${c.id} with ${c.statements.length} statements in ${c.themes.length} themes, ${c.respondentTypes.length} respondent types and ${c.organisations.length} registered organisations; exports from ${c.source.tool}`,
      );
      return 0;
    }
    if (cycle.kind === "outcomes") {
      const c = cycle.config;
      console.log(`${file}: valid outcomes cycle ${c.id}: cohorts ${c.cohorts.join(", ")}, ${c.variables.length} characteristics, regression on ${c.predictors.join(", ")}; records expire after ${c.retentionYears} years`);
      return 0;
    }
    const config = cycle.config;
    const q = config.questionnaire;
    console.log(
      `${file}: valid cycle ${config.id} with ${config.groups.length} groups, ${q.items.length} items, ${q.itemSets.length} item sets, ${q.multiSelect.length} multi-select questions`,
    );
    for (const group of config.groups) console.log(`  ${group.id}: exports from ${group.source.tool}`);
    return 0;
  },
};
