import { CycleConfigError } from "../../errors.ts";
import { parseCycleJson } from "../../config/parseCycleJson.ts";
import { refuseOpenTodos } from "../draft/draftTodos.ts";
import { type CycleConfig, cycleConfigSchema } from "./cycleConfig.ts";

/**
 * Parses and validates a cycle configuration from JSON text.
 * Throws {@link CycleConfigError} naming `source` and every problem's path; a draft from
 * `asye init` is refused while any of its decisions is still marked `TODO`.
 *
 * @example parseCycleConfig(text, "examples/asye-cf-2025/cycle.json").id // "asye-cf-2025"
 */
export function parseCycleConfig(text: string, source: string): CycleConfig {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new CycleConfigError(source, [`not valid JSON (${(error as Error).message})`], {
      cause: error,
    });
  }
  refuseOpenTodos(json, source);
  return parseCycleJson(cycleConfigSchema, json, source);
}
