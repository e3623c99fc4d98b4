import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeLegacyAggregates } from "../lib/outcomes/encodeLegacyAggregates.ts";
import { outcomesConfigSchema } from "../lib/outcomes/outcomesConfig.ts";

const CYCLE = "asye-outcomes-2025";
const config = outcomesConfigSchema.parse(JSON.parse(readFileSync(`examples/${CYCLE}/cycle.json`, "utf8")));
const example = readFileSync(`examples/${CYCLE}/exports/aggregates.csv`, "utf8");

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** The example's file of earlier years' counts with lines added at its end. */
function withLines(...lines: string[]): string {
  return `${example.trimEnd()}\n${lines.join("\n")}\n`;
}

describe("earlier years' counts (the outcomes aggregates file)", () => {
  it("reads the example: 14 rows, 2019-20's white NQSWs 1,640 successful and 10 not", async () => {
    const { aggregates, rows, rejections } = await encodeLegacyAggregates(bytes(example), config, "aggregates.csv");
    expect(rows).toBe(14);
    expect(rejections.isEmpty).toBe(true);
    expect(aggregates.cohorts["2019-20"]!.variables["ethnicity"]!["white"]).toEqual({ successful: 1640, unsuccessful: 10, pending: 0 });
  });

  it("rejects a duplicated row, naming the row it repeats, and never adds its counts twice (base 1,650, not 3,300)", async () => {
    // Row 16 repeats row 2; row 17 repeats row 4 spelt by labels in other cases, with other counts.
    const text = withLines("2019-20,ethnicity,White,1640,10", "2019-20,Gender,female,1900,20");
    const { aggregates, rows, rejections } = await encodeLegacyAggregates(bytes(text), config, "aggregates.csv");
    expect(rows).toBe(16);
    expect(rejections.rejectedRows).toBe(2);
    expect(rejections.problems).toEqual([
      { row: 16, column: "cohort, characteristic, level", value: "2019-20, ethnicity, White", expected: expect.stringContaining("duplicate of row 2 (the same cohort, characteristic and level)") },
      { row: 17, column: "cohort, characteristic, level", value: "2019-20, Gender, female", expected: expect.stringContaining("duplicate of row 4") },
    ]);
    expect(rejections.problemsByColumn).toEqual({ "cohort, characteristic, level": 2 });
    // The first row's counts stand; the good rows are all kept.
    expect(aggregates.cohorts["2019-20"]!.variables["ethnicity"]!["white"]).toEqual({ successful: 1640, unsuccessful: 10, pending: 0 });
    expect(aggregates.cohorts["2019-20"]!.variables["gender"]!["female"]).toEqual({ successful: 1885, unsuccessful: 15, pending: 0 });
    const accepted = Object.values(aggregates.cohorts).flatMap((cohort) => Object.values(cohort.variables).flatMap((levels) => Object.keys(levels)));
    expect(accepted).toHaveLength(14);
  });

  it("keeps a row that corrects an earlier rejected one: only accepted rows are counted as given", async () => {
    const text = "cohort,characteristic,level,successful,unsuccessful\n2018-19,gender,Male,lots,1\n2018-19,gender,Male,400,9\n";
    const { aggregates, rejections } = await encodeLegacyAggregates(bytes(text), config, "aggregates.csv");
    expect(rejections.problems.map((p) => [p.row, p.column])).toEqual([[2, "successful"]]);
    expect(aggregates.cohorts["2018-19"]!.variables["gender"]!["male"]).toEqual({ successful: 400, unsuccessful: 9, pending: 0 });
  });
});
