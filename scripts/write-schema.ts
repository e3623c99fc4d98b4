/**
 * Writes schemas/results.schema.json, the JSON Schema of the results document, generated from
 * its zod schema. `npm run schema`; a test fails when the committed file drifts.
 */
import { writeFileSync } from "node:fs";
import { resultsJsonSchemaText } from "../lib/results/resultsJsonSchema.ts";

writeFileSync("schemas/results.schema.json", resultsJsonSchemaText());
console.log("wrote schemas/results.schema.json");
