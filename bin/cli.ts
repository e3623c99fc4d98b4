import { parseArgs, type ParseArgsConfig } from "node:util";

/** The values parseArgs gives for a command's options. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** One `asye` command: its help, its options and what it does. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** `asye name <arg> [--flag]` */
  usage: string;
  /** More help, shown by `asye name --help`. */
  details?: string;
  options?: NonNullable<ParseArgsConfig["options"]>;
  /** What each option does, for --help. */
  optionHelp?: Record<string, string>;
  positionals: { min: number; max: number };
  run(values: OptionValues, positionals: string[]): Promise<number>;
}

/** A mistake in how a command was called: shown with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses a command's arguments with node:util's parseArgs (unknown flags refused), answers
 * `--help`, checks the number of arguments and runs it. Returns the exit code.
 */
export async function runCommand(command: CliCommand, argv: string[]): Promise<number> {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    return usageFailure(command, (error as Error).message);
  }
  if (parsed.values.help) {
    console.log(helpOf(command));
    return 0;
  }
  const count = parsed.positionals.length;
  if (count < command.positionals.min) return usageFailure(command, "missing argument(s)");
  if (count > command.positionals.max) return usageFailure(command, `unexpected argument "${parsed.positionals[command.positionals.max]}"`);
  try {
    return await command.run(parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(command, error.message);
    throw error;
  }
}

/** The help text of one command. */
export function helpOf(command: CliCommand): string {
  const flags = Object.entries(command.options ?? {}).map(([name, option]) => {
    const flag = `--${name}${option.type === "string" ? " <value>" : ""}`;
    return `  ${flag.padEnd(18)} ${command.optionHelp?.[name] ?? ""}`.trimEnd();
  });
  return [`usage: ${command.usage}`, "", command.summary, ...(command.details ? ["", command.details] : []), ...(flags.length ? ["", "options:", ...flags] : []), `  ${"--help, -h".padEnd(18)} this help`].join("\n");
}

function usageFailure(command: CliCommand, message: string): number {
  console.error(`asye ${command.name}: ${message}\nusage: ${command.usage}\n(asye ${command.name} --help for more)`);
  return 2;
}
