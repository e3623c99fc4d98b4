import { CycleConfigError } from "../errors.ts";
import { type EvaluationConfig, evaluationConfigSchema } from "../evaluation360/evaluationConfig.ts";
import { formatIssues } from "../validation/formatIssues.ts";
import type { CycleConfig } from "./cycleConfig.ts";
import { parseCycleConfig } from "./parseCycleConfig.ts";

/** A stored cycle of either kind: the annual survey's or the 360-degree evaluation tool's. */
export type AnyCycle = { kind: "survey"; config: CycleConfig } | { kind: "evaluation360"; config: EvaluationConfig };

/**
 * Parses a cycle file of either kind: a file with `"kind": "evaluation360"` is a 360 cycle,
 * any other an annual-survey cycle. Throws {@link CycleConfigError} naming `source` and every
 * problem's path.
 */
export function parseAnyCycle(text: string, source: string): AnyCycle {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { kind: "survey", config: parseCycleConfig(text, source) }; // reports the JSON error
  }
  if (typeof json === "object" && json !== null && (json as { kind?: unknown }).kind === "evaluation360") {
    const result = evaluationConfigSchema.safeParse(json);
    if (!result.success) throw new CycleConfigError(source, formatIssues(result.error.issues));
    return { kind: "evaluation360", config: result.data };
  }
  return { kind: "survey", config: parseCycleConfig(text, source) };
}
