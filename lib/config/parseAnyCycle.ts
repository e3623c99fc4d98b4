import { CycleConfigError } from "../errors.ts";
import { type EvaluationConfig, evaluationConfigSchema } from "../evaluation360/evaluationConfig.ts";
import { type OutcomesConfig, outcomesConfigSchema } from "../outcomes/outcomesConfig.ts";
import { formatIssues } from "../validation/formatIssues.ts";
import type { CycleConfig } from "../survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../survey/config/parseCycleConfig.ts";

/** A stored cycle of any kind: the annual survey's, the 360-degree evaluation tool's, or the registration platform's outcome records. */
export type AnyCycle = { kind: "survey"; config: CycleConfig } | { kind: "evaluation360"; config: EvaluationConfig } | { kind: "outcomes"; config: OutcomesConfig };

/**
 * Parses a cycle file of any kind: `"kind": "evaluation360"` is a 360 cycle, `"kind": "outcomes"`
 * the registration platform's outcome records, and a file without `kind` an annual-survey cycle. Throws {@link CycleConfigError} naming `source` and every
 * problem's path.
 */
export function parseAnyCycle(text: string, source: string): AnyCycle {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { kind: "survey", config: parseCycleConfig(text, source) }; // reports the JSON error
  }
  const kind = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (kind === "evaluation360") {
    const result = evaluationConfigSchema.safeParse(json);
    if (!result.success) throw new CycleConfigError(source, formatIssues(result.error.issues));
    return { kind: "evaluation360", config: result.data };
  }
  if (kind === "outcomes") {
    const result = outcomesConfigSchema.safeParse(json);
    if (!result.success) throw new CycleConfigError(source, formatIssues(result.error.issues));
    return { kind: "outcomes", config: result.data };
  }
  return { kind: "survey", config: parseCycleConfig(text, source) };
}
