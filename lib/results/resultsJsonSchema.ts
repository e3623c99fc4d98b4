import { z } from "zod";
import type { JsonSchemaEntry } from "../kinds/cycleKind.ts";
import { cycleKinds } from "../kinds/registry.ts";

/** Every committed JSON Schema, of every kind: its file under schemas/, its title and the zod schema it is generated from. */
export const JSON_SCHEMAS: readonly JsonSchemaEntry[] = cycleKinds().flatMap((kind) => kind.jsonSchemas);

/** The JSON Schema (draft 2020-12) text of one of {@link JSON_SCHEMAS}, as committed. */
export function jsonSchemaText(entry: JsonSchemaEntry): string {
  const schema = z.toJSONSchema(entry.schema, { target: "draft-2020-12" });
  return `${JSON.stringify({ title: entry.title, ...schema }, null, 2)}\n`;
}
