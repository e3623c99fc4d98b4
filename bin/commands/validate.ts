import { readFileSync } from "node:fs";
import type { CliCommand } from "../cli.ts";

/** `asye validate`: checks a cycle file. */
export const validate: CliCommand = {
  name: "validate",
  summary: "Check a cycle file (annual survey or 360 tool): every problem is printed with its path in the file.",
  usage: "asye validate <cycle.json>",
  positionals: { min: 1, max: 1 },
  async run(_values, [file]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { parseAnyCycle } = await import("../../lib/config/parseAnyCycle.ts");
    const cycle = parseAnyCycle(readFileSync(file!, "utf8"), file!);
    for (const line of cycle.type.describeCycle(cycle.config, file!)) console.log(line);
    return 0;
  },
};
