import { CycleConfigError } from "../../errors.ts";

/** One problem of a cycle file, as the CLI prints it (`path: message`), and the path it names. */
export interface CycleProblem {
  /** The path in the file (`questionnaire.items[3].scale`), or undefined for a problem of the whole file. */
  path: string | undefined;
  /** The whole line, exactly as `asye validate` prints it after "  - ". */
  text: string;
}

/**
 * A cycle file's problems from the validator's own error (the CLI's wording, unchanged), each with
 * the path it names when it names one; undefined when `error` is not a cycle file's refusal.
 *
 * @example cycleProblems(new CycleConfigError("f", ['id: Invalid string'])) // [{ path: "id", text: "id: Invalid string" }]
 */
export function cycleProblems(error: unknown): CycleProblem[] | undefined {
  if (!(error instanceof CycleConfigError)) return undefined;
  return error.problems.map(problemOf);
}

/** A problem line (`questionnaire.items[3].scale: unknown scale "agree5"`) and the path it names, if it names one. */
export function problemOf(text: string): CycleProblem {
  // Paths are written as formatPath writes them: names, dots and [n], never a space.
  const match = /^([A-Za-z_$][\w$-]*(?:\.[\w$-]+|\[\d+\])*): /u.exec(text);
  return { path: match?.[1], text };
}

/** The first line `asye validate` prints of a refused file (`leads.json is not a valid cycle configuration:`). */
export function refusalHeading(error: CycleConfigError): string {
  return `${error.source} is not a valid cycle configuration:`;
}
