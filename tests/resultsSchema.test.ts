import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resultsJsonSchemaText } from "../lib/results/resultsJsonSchema.ts";

describe("the committed JSON Schema of the results document", () => {
  it("matches the zod schema (run `npm run schema` after changing it)", () => {
    expect(readFileSync("schemas/results.schema.json", "utf8")).toBe(resultsJsonSchemaText());
  });
});
