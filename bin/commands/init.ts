import { createReadStream, existsSync, writeFileSync } from "node:fs";
import { type CliCommand, UsageError } from "../cli.ts";

/** `asye init`: drafts a cycle file from one group's export, marking with TODO what a person decides. */
export const init: CliCommand = {
  name: "init",
  summary: "Draft a cycle file from an export: tool, columns, scales and multi-select questions, with TODO for what you decide.",
  usage: "asye init <export> [--tool <tool>] [--group <id>] [--out <file>]",
  details:
    "Reads the export as ingest would (the tool recognised from its header), proposes a scale for every set of\n" +
    "answers (known scales recognised), an item per single-choice column and the multi-select questions, and\n" +
    'marks what only you can decide with "TODO: …" (ids, wording, which answers are positive, the group\'s\n' +
    "delivered count). The draft goes to --out (never over an existing file), or without it to stdout with what\n" +
    "was found on stderr. `asye check <draft> <group> <export>` refuses the draft, listing each TODO, until every\n" +
    "one is answered.\n" +
    'See docs/survey-team.md, "Drafting a cycle file from an export".',
  options: { tool: { type: "string" }, group: { type: "string" }, out: { type: "string" } },
  optionHelp: {
    tool: "the tool that wrote the export (csv, smartsurvey, surveymonkey, qualtrics, msforms, googleforms, limesurvey, jisc, snap); default: recognised from the header",
    group: "the group's id in the cycle file (default: from the export's file name)",
    out: "write the draft to this file (default: print it)",
  },
  positionals: { min: 1, max: 1 },
  async run(values, [exportFile]) {
    // Loaded here, not at start: `asye --help` and the other commands start without them.
    const { draftOptionsSchema } = await import("../../lib/survey/draft/draftOptions.ts");
    const parsed = draftOptionsSchema.safeParse(values);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "));
    const { tool, group, out } = parsed.data;
    if (out !== undefined && existsSync(out)) throw new UsageError(`--out: ${out} already exists (it may hold your answers): name another file, or delete it first`);
    if (!existsSync(exportFile!)) throw new UsageError(`no such export: ${exportFile}`);
    const { draftCycle } = await import("../../lib/survey/draft/draftCycle.ts");
    const { describeDraft } = await import("../../lib/survey/draft/describeDraft.ts");
    const draft = await draftCycle(() => createReadStream(exportFile!), exportFile!, { tool, group });
    const json = `${JSON.stringify(draft.cycle, null, 2)}\n`;
    const report = describeDraft(draft, { out, exportFile: exportFile! }).join("\n");
    if (out === undefined) {
      process.stdout.write(json);
      console.error(report);
    } else {
      writeFileSync(out, json, { flag: "wx" });
      console.log(report);
    }
    return 0;
  },
};
