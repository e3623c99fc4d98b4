import { describe, expect, it } from "vitest";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { type CycleConfig, cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import type { ResultsDocument } from "../lib/survey/results/resultsSchema.ts";
import { seededRandom } from "../scripts/seededRandom.ts";
import { auditResults } from "./support/auditResults.ts";
import { testCycle } from "./support/testCycle.ts";

// An exact audit of whole results documents: for every table a reader can add up (groups to
// all groups, subgroups and those who gave none to their group, each option's choices to all
// groups), every count each hidden cell could have, given everything published beside it.

const GROUPS = ["leads", "assessors", "nqsws"] as const;
const CATEGORIES = 4;

/** One respondent: their group, subgroup (null: not given), answer per item (category 1–4, 0 blank), choices, and open-text codes (undefined: wrote nothing). */
interface Respondent {
  group: string;
  subgroup: string | null;
  answers: number[];
  chosen: boolean[];
  codes?: string[];
}

const CODES = ["training", "supervision", "culture"];

const config: CycleConfig = cycleConfigSchema.parse(
  testCycle("audit", {
    groups: GROUPS.map((id) => ({ id, label: id, delivered: 500 })),
    questionnaire: {
      ...testCycle().questionnaire,
      items: ["impact", "clarity"].map((id) => ({ id, text: id, scale: "agree", columns: Object.fromEntries(GROUPS.map((g) => [g, `${g} ${id}`])) })),
      multiSelect: [
        {
          id: "challenges",
          text: "Challenges",
          options: ["retaining", "recruiting", "funding"].map((id) => ({ id, label: id, columns: Object.fromEntries(GROUPS.map((g) => [g, `${g} ${id}`])) })),
        },
      ],
      openText: [{ id: "examples", text: "Examples", columns: Object.fromEntries(GROUPS.map((g) => [g, `${g} examples`])), codebook: CODES.map((id) => ({ id, label: id, keywords: [id] })) }],
      subgroupVariables: [{ ...testCycle().questionnaire.subgroupVariables[0], columns: Object.fromEntries(GROUPS.map((g) => [g, `${g} ethnicity`])) }],
    },
    comparisons: [{ id: "by-ethnicity", kind: "subgroups", title: "By ethnicity", variable: "ethnicity", groups: [...GROUPS], items: ["impact", "clarity"] }],
  }),
);

/** Category counts as a tally holds them: index 0 blanks, then each category. */
function countsOf(respondents: readonly Respondent[], item: number): number[] {
  const counts = new Array(CATEGORIES + 1).fill(0);
  for (const r of respondents) counts[r.answers[item]!]++;
  return counts;
}

/** The group tallies compute reads, from respondents. */
function talliesOf(respondents: readonly Respondent[]): Map<string, GroupTally> {
  const items = (rs: readonly Respondent[]) => new Map(config.questionnaire.items.map((item, k) => [item.id, { id: item.id, categories: config.questionnaire.scales[0]!.categories, counts: countsOf(rs, k) }]));
  return new Map(
    GROUPS.map((group) => {
      const own = respondents.filter((r) => r.group === group);
      const options = config.questionnaire.multiSelect[0]!.options.map((o) => o.id);
      const answered = own.filter((r) => r.chosen.some(Boolean));
      return [
        group,
        {
          group,
          childAndFamilyOnly: own.length,
          both: 0,
          items: items(own),
          multiSelect: new Map([["challenges", { id: "challenges", options, answered: answered.length, selected: options.map((_, k) => answered.filter((r) => r.chosen[k]).length) }]]),
          subgroups: ["white", "minoritised"].map((subgroup) => {
            const members = own.filter((r) => r.subgroup === subgroup);
            return { variable: "ethnicity", subgroup, respondents: members.length, items: items(members) };
          }),
        },
      ];
    }),
  );
}

/** What a reader can work out from one document, against the respondents it was computed from. */
function auditDocument(document: ResultsDocument, respondents: readonly Respondent[]): string[] {
  const coded = codedOf(respondents);
  return auditResults(document, { config, tallies: talliesOf(respondents), openTextAnswers: (question, group) => (coded.get(group)?.[question] ?? []).map((answer) => answer.codes) });
}

/** A random cycle's respondents: small groups and subgroups, groups that all agree or all choose an option, and people who give no subgroup. */
function randomRespondents(next: () => number): Respondent[] {
  const respondents: Respondent[] = [];
  for (const group of GROUPS) {
    const size = Math.floor(next() * 70);
    const allPositive = next() < 0.3;
    const allChoose = next() < 0.3;
    const weights = [next(), next(), next() * 0.3];
    for (let i = 0; i < size; i++) {
      const pick = next() * (weights[0]! + weights[1]! + weights[2]!);
      const subgroup = pick < weights[0]! ? "white" : pick < weights[0]! + weights[1]! ? "minoritised" : null;
      const answer = () => (allPositive ? 1 + Math.floor(next() * 2) : Math.floor(next() * (CATEGORIES + 1)));
      const codes = next() < 0.7 ? CODES.filter((_, k) => (k === 0 && allChoose) || next() < 0.3) : undefined;
      respondents.push({ group, subgroup, answers: [answer(), answer()], chosen: [allChoose || next() < 0.5, next() < 0.4, next() < 0.2], codes });
    }
  }
  return respondents;
}

const now = new Date("2025-03-01T12:00:00Z");
/** Each group's open-text answers as ingest codes them. */
function codedOf(respondents: readonly Respondent[]): Map<string, Record<string, { responseId: string; codes: string[] }[]>> {
  return new Map(GROUPS.map((group) => [group, { examples: respondents.flatMap((r, i) => (r.group === group && r.codes !== undefined ? [{ responseId: `r${i}`, codes: r.codes }] : [])) }]));
}

const build = (respondents: Respondent[]) =>
  buildResults({ config, tallies: talliesOf(respondents), batches: [], previous: undefined, now, codeVersion: "test", generation: 1, coded: codedOf(respondents) });

describe("an exact audit of whole results documents", () => {
  it("(a) finds nothing to work out when hidden groups of 29, 12 and 20 all agree", () => {
    const people = (group: string, n: number, answer: number) => Array.from({ length: n }, () => ({ group, subgroup: "white", answers: [answer, answer], chosen: [true, false, false] }));
    const respondents = [...people("leads", 29, 1), ...people("assessors", 12, 1), ...people("nqsws", 20, 2)];
    const document = build(respondents);
    expect(document.items[0]!.allGroups!.share).toMatchObject({ suppressed: true, reason: "complementary" });
    expect(auditDocument(document, respondents)).toEqual([]);
  });

  it("(b) finds nothing to work out when a subgroup of 28 and 3 who gave none all agree beside a subgroup of 40", () => {
    const person = (subgroup: string | null, answer: number): Respondent => ({ group: "nqsws", subgroup, answers: [answer, answer], chosen: [true, true, false] });
    const respondents = [
      ...Array.from({ length: 3 }, () => person(null, 1)),
      ...Array.from({ length: 28 }, () => person("minoritised", 2)),
      ...Array.from({ length: 40 }, (_, i) => person("white", i < 30 ? 1 : 3)),
    ];
    const document = build(respondents);
    const row = document.subgroupBreakdowns.find((b) => b.group === "nqsws")!.items[0]!;
    expect(row.subgroups.every((s) => s.share.suppressed)).toBe(true);
    expect(auditDocument(document, respondents)).toEqual([]);
  });

  it("(c) finds nothing to work out when hidden groups' answers mention one code none of them, another all of them", () => {
    const person = (group: string, codes: string[]): Respondent => ({ group, subgroup: "white", answers: [1, 3], chosen: [true, false, false], codes });
    const respondents = [
      ...Array.from({ length: 14 }, () => person("leads", ["training"])),
      ...Array.from({ length: 18 }, () => person("assessors", ["training", "culture"])),
      ...Array.from({ length: 60 }, (_, i) => person("nqsws", i % 2 === 0 ? ["supervision"] : ["training"])),
    ];
    const document = build(respondents);
    expect(document.openText[0]!.scopes.find((s) => s.scope === "all")!.respondents).toMatchObject({ suppressed: true, reason: "complementary" });
    expect(auditDocument(document, respondents)).toEqual([]);
  });

  it("gives no breakdown, and says why, where the group is 100% positive and a subgroup is too small to show", () => {
    const person = (subgroup: string, answer: number): Respondent => ({ group: "nqsws", subgroup, answers: [answer, answer === 1 ? 3 : 1], chosen: [true, false, false] });
    const respondents = [...Array.from({ length: 5 }, () => person("minoritised", 1)), ...Array.from({ length: 40 }, () => person("white", 2))];
    const breakdown = build(respondents).subgroupBreakdowns.find((b) => b.group === "nqsws")!;
    expect(breakdown.items.map((i) => i.item)).toEqual(["clarity"]);
    expect(breakdown.notBrokenDown).toEqual([{ item: "impact", why: expect.stringContaining("0% or 100% positive") }]);
  });

  it("finds nothing to work out in 400 random cycles", () => {
    const next = seededRandom(31);
    let hiddenCells = 0;
    for (let t = 0; t < 400; t++) {
      const respondents = randomRespondents(next);
      const document = build(respondents);
      hiddenCells += JSON.stringify(document).split('"suppressed":true').length - 1;
      expect(auditDocument(document, respondents), `cycle ${t}`).toEqual([]);
    }
    // The audit had something to look at.
    expect(hiddenCells).toBeGreaterThan(400);
  });
});
