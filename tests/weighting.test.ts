import { describe, expect, it } from "vitest";
import { rake } from "../lib/stats/rake.ts";
import { raoScottChiSquare } from "../lib/stats/raoScottChiSquare.ts";
import { weightedShare } from "../lib/stats/weightedShare.ts";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { type BatchRows, weightGroup } from "../lib/survey/compute/weightGroup.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { resultsDocumentSchema } from "../lib/survey/results/resultsSchema.ts";
import { seededRandom } from "../scripts/seededRandom.ts";
import { testCycle } from "./support/testCycle.ts";

// NQSWs weighted to their population by region and employer type: the pipeline from a batch's
// rows to weighted shares beside the unweighted ones. The statistics themselves are held to R
// in rake.test.ts and weightedShare.test.ts; this holds the wiring to them.

const REGIONS = ["north", "midlands", "south"];
const EMPLOYERS = ["council", "trust"];
const CATEGORIES = ["Strongly agree", "Agree", "Disagree", "Don't know"];

const variable = (id: string, values: string[]) => ({ id, label: id, columns: { nqsws: id }, subgroups: values.map((v) => ({ id: v, label: v, values: [v] })) });
const POPULATION = { region: { north: 700, midlands: 500, south: 800 }, employer: { council: 1500, trust: 500 } };
const MARGINS = [{ variable: "region", population: POPULATION.region }, { variable: "employer", population: POPULATION.employer }];

function config(weighting: unknown = [{ group: "nqsws", margins: [{ variable: "region", population: POPULATION.region }, { variable: "employer", population: POPULATION.employer }] }]) {
  const base = testCycle("weighted");
  return cycleConfigSchema.parse({ ...base, questionnaire: { ...base.questionnaire, subgroupVariables: [variable("region", REGIONS), variable("employer", EMPLOYERS)] }, weighting });
}

/** One respondent: region and employer codes (0: not given), and an answer code per item (0 blank). */
interface Respondent {
  region: number;
  employer: number;
  answers: [number, number];
}

/** The NQSWs' batch as ingest writes it: service area, two items, two subgroup variables. */
function batchOf(respondents: readonly Respondent[]): BatchRows {
  const header = {
    format: "asye-normalized-v1" as const,
    cycleId: "weighted",
    group: "nqsws",
    uploadKey: "uploads/weighted/nqsws/x.csv",
    rowWidth: 5,
    items: [{ id: "impact", offset: 1, categories: CATEGORIES }, { id: "clarity", offset: 2, categories: CATEGORIES }],
    subgroupVariables: [{ id: "region", offset: 3, subgroups: REGIONS }, { id: "employer", offset: 4, subgroups: EMPLOYERS }],
    multiSelect: [],
  };
  const rows = new Uint8Array(respondents.length * 5);
  respondents.forEach((r, i) => rows.set([1, r.answers[0], r.answers[1], r.region, r.employer], i * 5));
  return { header, rows, count: respondents.length };
}

/** Respondents who answer more positively in the north and in councils, and answer unevenly by region. */
function respondents(n: number, seed = 5): Respondent[] {
  const next = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const region = next() < 0.6 ? 1 : next() < 0.5 ? 2 : 3;
    const employer = next() < 0.5 ? 1 : 2;
    const answer = () => (next() < 0.05 ? 0 : next() < (region === 1 ? 0.8 : 0.4) ? 1 + Math.floor(next() * 2) : 3 + Math.floor(next() * 2));
    return { region, employer, answers: [answer(), answer()] as [number, number] };
  });
}

describe("weighting a group to its population", () => {
  it("rakes to every margin and gives each item's weighted share with both standard errors, as the statistics give them", () => {
    const people = respondents(400);
    const result = weightGroup(config(), config().weighting[0]!, batchOf(people), MARGINS);
    expect(result).toMatchObject({ group: "nqsws", margins: ["region", "employer"], respondents: 400, error: null, converged: true });
    // Independently: the respondents as records, raked and measured directly.
    const rows = people.map((r) => ({ region: REGIONS[r.region - 1], employer: EMPLOYERS[r.employer - 1] }));
    const raked = rake(rows, [{ variable: "region", population: POPULATION.region }, { variable: "employer", population: POPULATION.employer }]);
    for (const region of REGIONS) {
      const total = raked.weights.reduce((sum, w, i) => sum + (rows[i]!.region === region ? w : 0), 0);
      // Within the default epsilon of 1 (the last margin raked, employer, is met exactly).
      expect(Math.abs(total - POPULATION.region[region as keyof typeof POPULATION.region])).toBeLessThan(1);
    }
    const positive = people.map((r) => (r.answers[0] === 0 || r.answers[0] === 4 ? null : r.answers[0] <= 2));
    const expected = weightedShare(positive, raked.weights, { calibration: raked });
    const impact = result.items.get("impact")!;
    expect(impact.raked.estimate).toBeCloseTo(expected.estimate, 12);
    expect(impact.raked.standardError).toBeCloseTo(expected.standardError, 12);
    expect(impact.standardErrorWeightsAsGiven).toBeCloseTo(weightedShare(positive, raked.weights).standardError, 12);
    // The north answers more positively and is over-represented: weighting lowers the share.
    const unweighted = positive.filter((p) => p === true).length / positive.filter((p) => p !== null).length;
    expect(impact.raked.estimate).toBeLessThan(unweighted);
  });

  it("trims the raked weights when the cycle sets bounds", () => {
    const weighting = { ...config().weighting[0]!, trim: { upper: 6, strict: true } };
    const people = respondents(400);
    const untrimmed = weightGroup(config(), config().weighting[0]!, batchOf(people), MARGINS);
    const trimmed = weightGroup(config(), weighting, batchOf(people), MARGINS);
    expect(trimmed.trimmed).toBe(true);
    expect(trimmed.items.get("impact")!.raked.estimate).not.toBeCloseTo(untrimmed.items.get("impact")!.raked.estimate, 6);
  });

  it("stops, naming the margin, when a respondent gave no region: the unweighted figures stand alone", () => {
    const people = respondents(100);
    people[7]!.region = 0;
    const result = weightGroup(config(), config().weighting[0]!, batchOf(people), MARGINS);
    expect(result.error).toMatch(/region/);
    expect(result.items.size).toBe(0);
  });

  it("publishes the weighted share beside the unweighted one only where that is shown, and says how the group was weighted", () => {
    const people = respondents(400);
    const weighting = [weightGroup(config(), config().weighting[0]!, batchOf(people), MARGINS)];
    const counts = (item: 0 | 1) => [0, 1, 2, 3, 4].map((code) => people.filter((r) => r.answers[item] === code).length);
    const tally: GroupTally = {
      group: "nqsws",
      childAndFamilyOnly: people.length,
      both: 0,
      items: new Map([["impact", { id: "impact", categories: CATEGORIES, counts: counts(0) }], ["clarity", { id: "clarity", categories: CATEGORIES, counts: [0, 5, 5, 5, 0] }]]),
      multiSelect: new Map(),
      subgroups: [],
    };
    const document = resultsDocumentSchema.parse(
      buildResults({ config: config(), tallies: new Map([["nqsws", tally]]), batches: [], previous: undefined, now: new Date("2025-03-01T12:00:00Z"), codeVersion: "test", generation: 1, weighting }),
    );
    const impact = document.items.find((i) => i.id === "impact")!.groups.find((g) => g.group === "nqsws")!;
    expect(impact.share.suppressed).toBe(false);
    expect(impact.weighted).toMatchObject({ percentage: Math.floor(100 * weighting[0]!.items.get("impact")!.raked.estimate + 0.5) });
    // Clarity's unweighted base (15) is under the threshold: no weighted figure either.
    expect(document.items.find((i) => i.id === "clarity")!.groups.find((g) => g.group === "nqsws")!.weighted).toBeNull();
    expect(document.weighting).toEqual([expect.objectContaining({ group: "nqsws", margins: ["region", "employer"], converged: true, error: null })]);
  });

  it("tests subgroups within the weighted group on the weighted data too (Rao-Scott), beside the unweighted test", () => {
    const people = respondents(400);
    const cycle = cycleConfigSchema.parse({ ...config(), comparisons: [{ id: "by-employer", kind: "subgroups", title: "By employer", variable: "employer", groups: ["nqsws"], items: ["impact"] }] });
    const weighting = [weightGroup(cycle, cycle.weighting[0]!, batchOf(people), MARGINS)];
    const counts = (rs: readonly Respondent[]) => [0, 1, 2, 3, 4].map((code) => rs.filter((r) => r.answers[0] === code).length);
    const items = (rs: readonly Respondent[]) => new Map([["impact", { id: "impact", categories: CATEGORIES, counts: counts(rs) }]]);
    const tally: GroupTally = {
      group: "nqsws",
      childAndFamilyOnly: people.length,
      both: 0,
      items: items(people),
      multiSelect: new Map(),
      subgroups: EMPLOYERS.map((employer, k) => ({ variable: "employer", subgroup: employer, respondents: 0, items: items(people.filter((r) => r.employer === k + 1)) })),
    };
    const document = resultsDocumentSchema.parse(buildResults({ config: cycle, tallies: new Map([["nqsws", tally]]), batches: [], previous: undefined, now: new Date("2025-03-01T12:00:00Z"), codeVersion: "test", generation: 1, weighting }));
    const [pair] = document.comparisons[0]!.pairs;
    expect(pair!.test).toBe("chi-square");
    // Independently: the same respondents, raked, tested as svychisq would.
    const raked = rake(people.map((r) => ({ region: REGIONS[r.region - 1], employer: EMPLOYERS[r.employer - 1] })), MARGINS);
    const expected = raoScottChiSquare(people.map((r) => EMPLOYERS[r.employer - 1]!), people.map((r) => (r.answers[0] === 0 || r.answers[0] === 4 ? null : r.answers[0] <= 2)), raked.weights);
    expect(pair!.weighted).toMatchObject({ test: "rao-scott", ndf: expected.ndf, ddf: expected.ddf });
    expect(pair!.weighted!.statistic).toBeCloseTo(expected.statistic, 10);
    expect(pair!.weighted!.p).toBeCloseTo(expected.p, 12);
  });

  it("refuses a cycle file whose margins name no subgroup variable of the group, or leave out a subgroup's population", () => {
    expect(() => config([{ group: "nqsws", margins: [{ variable: "gender", population: { a: 1 } }] }])).toThrow(/gender\\?" is not a subgroup variable asked of nqsws/);
    expect(() => config([{ group: "nqsws", margins: [{ variable: "region", population: { north: 1, south: 2 } }] }])).toThrow(/no population for subgroup \\?"midlands\\?" of region/);
    expect(() => config([{ group: "leads", margins: [{ variable: "region", population: POPULATION.region }] }])).toThrow(/not a subgroup variable asked of leads/);
  });
});
