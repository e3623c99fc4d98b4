import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { CycleConfigError } from "../lib/errors.ts";
import { testCycle } from "./support/testCycle.ts";

function problemsOf(config: unknown): string[] {
  try {
    parseCycleConfig(typeof config === "string" ? config : JSON.stringify(config), "cycle.json");
  } catch (error) {
    if (error instanceof CycleConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("cycle configuration", () => {
  it("accepts the example cycles and fills in the defaults", () => {
    const config = parseCycleConfig(
      readFileSync("examples/asye-cf-2025/cycle.json", "utf8"),
      "cycle.json",
    );
    expect(config.suppressionThreshold).toBe(30);
    expect(config.groups.map((g) => g.id)).toEqual(["leads", "assessors", "nqsws"]);
    const minimal = parseCycleConfig(
      JSON.stringify({ ...testCycle(), suppressionThreshold: undefined }),
      "c.json",
    );
    expect(minimal.suppressionThreshold).toBe(30);
    expect(minimal.significanceLevel).toBe(0.05);
  });

  it("names the path and what was expected for each problem", () => {
    const config = testCycle();
    const broken = {
      ...config,
      timezone: "Europe/Londres",
      schedule: { ...config.schedule, closes: "2025-01-01" },
      questionnaire: {
        ...config.questionnaire,
        scales: [{ ...config.questionnaire.scales[0], positive: ["Strongly agree", "Agreed"] }],
        items: [
          {
            ...config.questionnaire.items[0],
            scale: "agree5",
            columns: { leads: "Impact", coordinators: "X" },
          },
        ],
      },
    };
    expect(problemsOf(broken)).toEqual([
      "timezone: an IANA time zone such as Europe/London",
      'questionnaire.scales[0].positive[1]: "Agreed" is not one of the scale\'s categories',
      "schedule.closes: must be after schedule.opens",
      'questionnaire.items[0].scale: unknown scale "agree5"',
      'questionnaire.items[0].columns.coordinators: unknown group "coordinators" (groups: leads, nqsws)',
    ]);
  });

  it("refuses a missing field, a wrong type and a bad id", () => {
    const { title: _title, ...withoutTitle } = testCycle();
    expect(problemsOf(withoutTitle)).toEqual([
      "title: Invalid input: expected string, received undefined",
    ]);
    const problems = problemsOf({
      ...testCycle(),
      groups: [{ id: "Leads!", label: "L", delivered: -1 }],
    });
    expect(problems.slice(0, 2)).toEqual([
      "groups[0].id: lower-case letters, digits and dashes, starting with a letter or digit",
      "groups[0].delivered: Too small: expected number to be >0",
    ]);
    expect(problems).toContain(
      'questionnaire.items[1].columns.nqsws: unknown group "nqsws" (groups: Leads!)',
    );
  });

  it("reports JSON that does not parse", () => {
    expect(problemsOf("{ not json")[0]).toMatch(/^not valid JSON \(/);
  });
});
