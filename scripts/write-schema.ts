/**
 * Writes the JSON Schemas in schemas/ (the survey's results document, the 360 tool's national
 * and per-organisation results), generated from their zod schemas. `npm run schema`; a test
 * fails when a committed file drifts.
 */
import { writeFileSync } from "node:fs";
import { JSON_SCHEMAS, jsonSchemaText } from "../lib/results/resultsJsonSchema.ts";

for (const entry of JSON_SCHEMAS) {
  writeFileSync(entry.file, jsonSchemaText(entry));
  console.log(`wrote ${entry.file}`);
}
