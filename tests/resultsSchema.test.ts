import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMAS, jsonSchemaText } from "../lib/results/resultsJsonSchema.ts";

describe("the committed JSON Schemas of the results documents", () => {
  for (const entry of JSON_SCHEMAS) {
    it(`${entry.file} matches its zod schema (run \`npm run schema\` after changing it)`, () => {
      expect(readFileSync(entry.file, "utf8")).toBe(jsonSchemaText(entry));
    });
  }
});
