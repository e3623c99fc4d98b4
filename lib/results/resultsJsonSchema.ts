import { z } from "zod";
import { evaluationResultsSchema, organisationResultsSchema } from "../evaluation360/evaluationResultsSchema.ts";
import { outcomesResultsSchema } from "../outcomes/outcomesResultsSchema.ts";
import { resultsDocumentSchema } from "../survey/results/resultsSchema.ts";

/** Every committed JSON Schema: its file under schemas/, its title and the zod schema it is generated from. */
export const JSON_SCHEMAS = [
  { file: "schemas/results.schema.json", title: "ASYE survey results document", schema: resultsDocumentSchema },
  { file: "schemas/evaluation360-results.schema.json", title: "ASYE 360-degree evaluation: national results", schema: evaluationResultsSchema },
  { file: "schemas/evaluation360-organisation.schema.json", title: "ASYE 360-degree evaluation: one organisation's results", schema: organisationResultsSchema },
  { file: "schemas/outcomes-results.schema.json", title: "ASYE registrations and outcomes: results", schema: outcomesResultsSchema },
] as const;

/** The JSON Schema (draft 2020-12) text of one of {@link JSON_SCHEMAS}, as committed. */
export function jsonSchemaText(entry: (typeof JSON_SCHEMAS)[number]): string {
  const schema = z.toJSONSchema(entry.schema, { target: "draft-2020-12" });
  return `${JSON.stringify({ title: entry.title, ...schema }, null, 2)}\n`;
}

/** The JSON Schema (draft 2020-12) of the results document, as committed in schemas/. */
export function resultsJsonSchemaText(): string {
  return jsonSchemaText(JSON_SCHEMAS[0]);
}
