import { createReadStream, readFileSync } from "node:fs";
import type { CliCommand } from "../cli.ts";

/** `asye check`: reads an export as ingest would, storing and publishing nothing. */
export const check: CliCommand = {
  name: "check",
  summary: "Read an export as ingest would, without storing or publishing anything, and say what ingest would make of it.",
  usage: "asye check <cycle.json> <group> <export> [--rows N] [--json]",
  details:
    "Prints the tool, format, encoding and delimiter, the export column of every field, the first responses\n" +
    "as read and as understood, and the counts and problems ingest would give. Exits 1 when ingest would\n" +
    "refuse the file (a file problem, or too few valid rows), 0 otherwise. For a 360 cycle <group> is \"responses\"\n" +
    "or an organisation id, for outcome records \"records\": the counts and problems are shown.",
  options: { rows: { type: "string" }, json: { type: "boolean" } },
  optionHelp: { rows: "how many responses to show decoded (default 3)", json: "print everything as JSON, every problem included" },
  positionals: { min: 3, max: 3 },
  async run(values, [cycleFile, group, exportFile]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { parseAnyCycle } = await import("../../lib/config/parseAnyCycle.ts");
    const cycle = parseAnyCycle(readFileSync(cycleFile!, "utf8"), cycleFile!);
    const rows = values.rows === undefined ? 3 : Number(values.rows);
    const sampleRows = Number.isInteger(rows) && rows >= 0 ? rows : 3;
    const checked = await cycle.type.checkExport(cycle.config, group!, createReadStream(exportFile!), exportFile!, { sampleRows });
    console.log(values.json ? JSON.stringify(checked.result, null, 2) : checked.lines.join("\n"));
    return checked.refused === undefined ? 0 : 1;
  },
};
