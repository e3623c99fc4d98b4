import type { LoadedCycle } from "../kinds/cycleKind.ts";
import { cycleKindNamed, DEFAULT_KIND } from "../kinds/registry.ts";

/** A stored cycle of any kind: its kind's name, its configuration and the kind that reads it. */
export type AnyCycle = LoadedCycle;

/**
 * Parses a cycle file of any kind: its `"kind"` names a registered kind (`"evaluation360"`,
 * `"outcomes"`, …), and a file without `kind` is an annual-survey cycle. Throws
 * `CycleConfigError` naming `source` and every problem's path.
 */
export function parseAnyCycle(text: string, source: string): AnyCycle {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return load(DEFAULT_KIND, undefined, text, source); // the default kind's parser reports the JSON error
  }
  const named = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (named === undefined) return load(DEFAULT_KIND, json, text, source);
  const kind = typeof named === "string" ? cycleKindNamed(named) : undefined;
  // A kind no one registered is left to the default kind's schema, which names what it expected.
  return load(kind ?? DEFAULT_KIND, json, text, source);
}

function load(kind: LoadedCycle["type"], json: unknown, text: string, source: string): AnyCycle {
  return { kind: kind.name, config: kind.parseCycleFile(json, text, source), type: kind };
}
