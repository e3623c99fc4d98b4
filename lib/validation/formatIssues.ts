import type { z } from "zod";

/**
 * Turns zod issues into one line each, naming the path inside the input and what was expected.
 *
 * @example formatIssues(error.issues) // ["questionnaire.items[3].scale: unknown scale \"agree5\""]
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Formats a zod issue path as `a.b[2].c`, or `(top level)` when empty. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join("");
}
