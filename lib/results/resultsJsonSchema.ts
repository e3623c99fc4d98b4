import { z } from "zod";
import { resultsDocumentSchema } from "./resultsSchema.ts";

/** The JSON Schema (draft 2020-12) of the results document, as committed in schemas/. */
export function resultsJsonSchemaText(): string {
  const schema = z.toJSONSchema(resultsDocumentSchema, { target: "draft-2020-12" });
  return `${JSON.stringify({ title: "ASYE survey results document", ...schema }, null, 2)}\n`;
}
