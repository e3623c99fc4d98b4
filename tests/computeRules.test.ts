import { describe, expect, it } from "vitest";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import { competitionRanks } from "../lib/survey/compute/competitionRanks.ts";
import { decideAdditiveTable } from "../lib/privacy/additiveTable.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { displayPercentage, percentageOfProportion } from "../lib/survey/compute/percentage.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { testCycle } from "./support/testCycle.ts";

const config = cycleConfigSchema.parse(testCycle());
const categories = ["Strongly agree", "Agree", "Disagree", "Don't know"];

/** A tally whose `impact` item has the given counts: [blank, SA, A, D, DK]. */
function tally(group: string, impact: number[], answered = 0, selected = [0, 0]): GroupTally {
  return {
    group,
    childAndFamilyOnly: impact.reduce((a, b) => a + b, 0),
    both: 0,
    items: new Map([["impact", { id: "impact", categories, counts: impact }]]),
    multiSelect: new Map([
      [
        "challenges",
        { id: "challenges", options: ["retaining", "recruiting"], answered, selected },
      ],
    ]),
    subgroups: [],
  };
}

function results(tallies: GroupTally[], now = new Date("2025-03-01T00:00:00Z")) {
  return buildResults({
    config,
    tallies: new Map(tallies.map((t) => [t.group, t])),
    batches: [],
    generation: 1,
    previous: undefined,
    now,
    codeVersion: "test",
  });
}

describe("display percentages", () => {
  it("round half up in exact arithmetic", () => {
    expect(displayPercentage(78, 80)).toBe(98); // 97.5
    expect(displayPercentage(38, 51)).toBe(75); // 74.51
    expect(displayPercentage(1, 8)).toBe(13); // 12.5
    expect(displayPercentage(1, 3)).toBe(33);
    expect(percentageOfProportion((0.8909 + 0.9) / 2)).toBe(90); // 89.545
    expect(percentageOfProportion(0.895)).toBe(90); // 89.49999… in floating point
  });
});

describe("suppression", () => {
  it("shows a base of exactly the threshold and suppresses one below it, revealing nothing", () => {
    const document = results([
      tally("leads", [0, 10, 10, 10, 5]),
      tally("nqsws", [3, 10, 10, 9, 40]),
    ]);
    const [leads, nqsws] = document.items.find((i) => i.id === "impact")!.groups;
    expect(leads!.share).toMatchObject({ suppressed: false, n: 20, base: 30, percentage: 67 });
    expect(nqsws).toEqual({
      group: "nqsws",
      share: {
        suppressed: true,
        reason: "base-below-threshold",
        note: "n<30: base under the suppression threshold",
      },
      categories: null,
      blank: null,
      weighted: null,
    });
  });

  it("suppresses the all-groups figure when subtraction would recover a suppressed group", () => {
    const document = results([tally("leads", [0, 30, 10, 10, 0]), tally("nqsws", [0, 5, 5, 5, 0])]);
    expect(document.items[0]!.allGroups!.share).toMatchObject({
      suppressed: true,
      reason: "complementary",
    });
  });

  it("shows the all-groups figure when every group is shown", () => {
    const document = results([
      tally("leads", [0, 30, 10, 10, 0]),
      tally("nqsws", [0, 20, 10, 10, 0]),
    ]);
    expect(document.items[0]!.allGroups!.share).toMatchObject({
      suppressed: false,
      n: 70,
      base: 90,
    });
  });

  it("protects hidden parts while they are one, together under the threshold, or all (or none) positive", () => {
    const part = (name: string, base: number, n: number) => ({ name, base, counts: [n] });
    const totalHidden = (parts: ReturnType<typeof part>[]) => decideAdditiveTable(parts, [], 30, "hide-total").totalHidden;
    expect(totalHidden([part("a", 50, 25), part("b", 20, 10)])).toBe(true);
    expect(totalHidden([part("a", 50, 25), part("b", 20, 10), part("c", 15, 5)])).toBe(false);
    expect(totalHidden([part("a", 50, 25), part("b", 20, 20), part("c", 15, 15)])).toBe(true);
    expect(totalHidden([part("a", 50, 25), part("b", 20, 0), part("c", 15, 0)])).toBe(true);
    expect(totalHidden([part("a", 50, 25)])).toBe(false);
  });

  it("suppresses a ranking whose respondents are under the threshold", () => {
    const document = results([tally("leads", [0, 1, 1, 1, 1], 29, [20, 10])]);
    const scope = document.rankings[0]!.scopes[0]!;
    expect(scope.respondents).toMatchObject({ suppressed: true, reason: "base-below-threshold" });
    expect(scope.options).toEqual([]);
  });
});

describe("rankings", () => {
  it("give ties the same rank and skip the next (1, 2, 2, 4)", () => {
    expect(competitionRanks([88, 84, 84, 59], (a, b) => b - a)).toEqual([1, 2, 2, 4]);
  });

  it("use respondents who answered as the base, not selections", () => {
    const document = results([tally("leads", [0, 1, 1, 1, 1], 40, [30, 30])]);
    const options = document.rankings[0]!.scopes[0]!.options;
    expect(options.map((o) => [o.rank, o.percentage, o.base])).toEqual([
      [1, 75, 40],
      [1, 75, 40],
    ]);
  });
});

describe("interim and closed", () => {
  it("publishes only response counts, marked provisional, before the close date", () => {
    const open = results([tally("leads", [0, 30, 10, 10, 0])], new Date("2025-02-20T23:59:00Z"));
    expect(open.status).toBe("provisional");
    expect(open.answersPublished).toBe(false);
    expect(open.items).toEqual([]);
    expect(open.rankings).toEqual([]);
    expect(open.responseRates.groups[0]!.responses).toBe(50);
  });

  it("publishes answers from the start of the close date in the cycle's time zone", () => {
    const closed = results([tally("leads", [0, 30, 10, 10, 0])], new Date("2025-02-21T00:00:00Z"));
    expect(closed.status).toBe("final");
    expect(closed.items).toHaveLength(2);
  });
});
