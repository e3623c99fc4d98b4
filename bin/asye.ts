#!/usr/bin/env -S npx tsx
/**
 * The survey team's command line, on the embedded local runtime (state in .local/state).
 * `asye --help` lists the commands; `asye <command> --help` explains one.
 */
import { CycleConfigError, FileRejectedError } from "../lib/errors.ts";
import { type CliCommand, runCommand } from "./cli.ts";
import { check } from "./commands/check.ts";
import { compute } from "./commands/compute.ts";
import { cycles } from "./commands/cycles.ts";
import { fetchResults } from "./commands/fetch.ts";
import { ingest } from "./commands/ingest.ts";
import { init } from "./commands/init.ts";
import { recipients } from "./commands/recipients.ts";
import { reminders } from "./commands/reminders.ts";
import { report } from "./commands/report.ts";
import { results } from "./commands/results.ts";
import { serve } from "./commands/serve.ts";
import { validate } from "./commands/validate.ts";

const COMMANDS: CliCommand[] = [init, validate, check, ingest, compute, results, recipients, reminders, serve, cycles, fetchResults, report];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: asye <command> [arguments] [--help]",
    "",
    "Survey team:",
    ...COMMANDS.slice(0, 9).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "Report authors (through the results API: the deployed one when ASYE_API_URL and ASYE_API_TOKEN are set):",
    ...COMMANDS.slice(9).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`asye: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  return runCommand(command, rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof FileRejectedError) console.error(`${error.file}: refused: ${error.reason}`);
    else if (error instanceof CycleConfigError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
