import { describe, expect, it } from "vitest";
import { CycleConfigError } from "../lib/errors.ts";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import type { GroupTally } from "../lib/survey/compute/groupTally.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { buildReport } from "../lib/survey/report/renderReport.ts";
import { positiveWords } from "../lib/survey/report/reportFigures.ts";
import { testCycle } from "./support/testCycle.ts";

const categories = ["Strongly agree", "Agree", "Disagree", "Don't know"];

/** The test cycle with these figures declared. */
function withFigures(figures: unknown[]) {
  return { ...testCycle(), figures };
}

function problemsOf(config: unknown): string[] {
  try {
    parseCycleConfig(JSON.stringify(config), "cycle.json");
  } catch (error) {
    if (error instanceof CycleConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** A group's tally: `impact` and `clarity` with these counts ([blank, SA, A, D, DK]). */
function tally(group: string, impact: number[], clarity: number[]): GroupTally {
  return {
    group,
    childAndFamilyOnly: impact.reduce((a, b) => a + b, 0),
    both: 0,
    items: new Map([
      ["impact", { id: "impact", categories, counts: impact }],
      ["clarity", { id: "clarity", categories, counts: clarity }],
    ]),
    multiSelect: new Map([["challenges", { id: "challenges", options: ["retaining", "recruiting"], answered: 0, selected: [0, 0] }]]),
    subgroups: [],
  };
}

/** The report of the test cycle, declaring `figures`, on 40 leads and 60 NQSWs (or the tallies given). */
function reportOf(figures: unknown[], tallies = [tally("leads", [0, 10, 20, 8, 2], [0, 5, 15, 20, 0]), tally("nqsws", [0, 30, 15, 15, 0], [0, 10, 20, 29, 1])]) {
  const config = cycleConfigSchema.parse(withFigures(figures));
  const document = buildResults({ config, tallies: new Map(tallies.map((t) => [t.group, t])), batches: [], generation: 1, previous: undefined, now: new Date("2025-03-01T00:00:00Z"), codeVersion: "test" });
  return { document, ...buildReport(document) };
}

describe("figures[] in the cycle file", () => {
  it("accepts published figures and fills in the chart and whether it is drawn per group", () => {
    const config = parseCycleConfig(JSON.stringify(withFigures([{ number: 5, title: "impact", items: ["impact"] }, { number: 6, title: "both", items: ["impact", "clarity"], groups: ["nqsws"], chart: "diverging", perGroup: true }])), "cycle.json");
    expect(config.figures).toEqual([
      { number: 5, title: "impact", items: ["impact"], chart: "positive", perGroup: false, labels: {} },
      { number: 6, title: "both", items: ["impact", "clarity"], groups: ["nqsws"], chart: "diverging", perGroup: true, labels: {} },
    ]);
    expect(parseCycleConfig(JSON.stringify(testCycle()), "cycle.json").figures).toEqual([]);
  });

  it("names the path and what was expected: unknown items and groups, numbers declared twice, items a group is not asked", () => {
    const cycle = testCycle();
    const onlyLeads = { id: "leads-only", text: "Leads only", scale: "agree", columns: { leads: "Leads only" } };
    const problems = problemsOf({
      ...cycle,
      questionnaire: { ...cycle.questionnaire, items: [...cycle.questionnaire.items, onlyLeads] },
      figures: [
        { number: 1, title: "a", items: ["impact", "impakt", "challenges"], groups: ["leads", "coordinators"] },
        { number: 1, title: "b", items: ["leads-only", "clarity", "clarity"], groups: ["leads", "nqsws"], labels: { clarity: "Clear", impakt: "Impact" } },
        { number: 0, title: "", items: [] },
      ],
    });
    expect(problems).toEqual([
      "figures[2].number: Too small: expected number to be >0",
      "figures[2].title: Too small: expected string to have >=1 characters",
      "figures[2].items: Too small: expected array to have >=1 items",
      'figures[0].groups[1]: unknown group "coordinators" (groups: leads, nqsws)',
      'figures[0].items[1]: unknown item "impakt" (a figure draws the questionnaire\'s items, not multi-select or open-text questions)',
      'figures[0].items[2]: unknown item "challenges" (a figure draws the questionnaire\'s items, not multi-select or open-text questions)',
      "figures[1].number: Figure 1 is already declared at figures[0]",
      'figures[1].items[0]: "leads-only" is not asked of "nqsws" (asked of: leads)',
      'figures[1].items[2]: "clarity" is listed twice',
      'figures[1].labels.impakt: "impakt" is not one of the figure\'s items (items: leads-only, clarity, clarity)',
    ]);
  });

  it("refuses a diverging figure over two scales: it draws one scale's answers", () => {
    const cycle = testCycle();
    const yesNo = { id: "yes-no", categories: ["Yes", "No"], positive: ["Yes"] };
    const records = { id: "records", text: "Records", scale: "yes-no", columns: { leads: "Records" } };
    const questionnaire = { ...cycle.questionnaire, scales: [...cycle.questionnaire.scales, yesNo], items: [...cycle.questionnaire.items, records] };
    expect(problemsOf({ ...cycle, questionnaire, figures: [{ number: 1, title: "t", items: ["impact", "records"], groups: ["leads"], chart: "diverging" }] })).toEqual([
      'figures[0].items[1]: a diverging figure draws one scale: "records" is on scale "yes-no", the figure\'s first item on "agree"',
    ]);
    expect(problemsOf({ ...cycle, questionnaire, figures: [{ number: 1, title: "t", items: ["impact", "records"], groups: ["leads"] }] })).toEqual([]);
  });
});

describe("the report's figures, as the cycle file declares them", () => {
  it("keeps today's numbering where none is declared", () => {
    const { figures, document } = reportOf([]);
    expect(document.figures).toEqual([]);
    expect(figures.map((f) => f.id)).toEqual(figures.map((_, i) => `figure-${i + 1}`));
    expect(figures[0]!.title).toBe("Figure 1: Impact: % strongly agree or agree, by group");
  });

  it("draws each declared figure under its published number and title, and numbers the undeclared items' figures after them", () => {
    const { figures, html, document } = reportOf([{ number: 7, title: "impact on the role", items: ["impact"] }]);
    expect(document.figures).toEqual([{ number: 7, title: "impact on the role", items: ["impact"], groups: ["leads", "nqsws"], chart: "positive", perGroup: false, labels: {} }]);
    expect(figures.map((f) => f.title)).toEqual([
      "Figure 7: impact on the role",
      "Figure 8: Clarity: % strongly agree or agree, by group",
      "Figure 9: Clarity: every answer, by group",
    ]);
    // 30 of 38 leads (79%) and 45 of 60 NQSWs (75%), computed from the tallies.
    const seven = figures[0]!;
    expect(seven.columns).toEqual(["Item", "Group", "% positive", "Base (n)"]);
    expect(seven.rows).toEqual([["Impact", "ASYE leads", Math.round((100 * 30) / 38), 38], ["Impact", "NQSWs", 75, 60]]);
    // The declared item has no automatic figure: its section says where it is drawn.
    expect(html).toContain('Drawn in Figure <a href="#figure-7">7</a>.');
    expect(html.indexOf('id="figure-7"')).toBeLessThan(html.indexOf('id="figure-8"'));
    expect(html).toContain("<strong>Figure 7:</strong> impact on the role");
  });

  it("draws one chart per group with a bar per item where declared per audience, every answer and the % positive in its data", () => {
    const { figures } = reportOf([{ number: 13, title: "policy and practice", items: ["impact", "clarity"], chart: "diverging", perGroup: true, labels: { clarity: "Clear to me" } }]);
    const figure = figures.find((f) => f.id === "figure-13")!;
    expect(figure.columns).toEqual(["Item", "Group", "% positive", "% Strongly agree", "% Agree", "% Disagree", "% outside the base", "Base (n)"]);
    expect(figure.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ["Impact", "ASYE leads", 79],
      ["Clarity", "ASYE leads", 50],
      ["Impact", "NQSWs", 75],
      ["Clarity", "NQSWs", 51],
    ]);
    // A heading per group (audience) and a bar per item under it.
    const headings = [...figure.svg.matchAll(/font-weight="bold"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(headings).toEqual(["ASYE leads", "NQSWs"]);
    // Each bar under the item's short label where one is declared; the CSV keeps the item's text.
    const labels = [...figure.svg.matchAll(/<text x="[\d.]+" y="\d+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["Impact", "Clear to me", "Impact", "Clear to me"]);
    expect(figures.map((f) => f.id)).toEqual(["figure-13"]);
  });

  it("keeps withheld bars withheld, and a declared figure whose every bar is withheld is one line under its number", () => {
    // 20 leads: under the threshold of 30.
    const small = [tally("leads", [0, 5, 5, 5, 5], [0, 5, 5, 5, 5]), tally("nqsws", [0, 30, 15, 15, 0], [0, 10, 20, 29, 1])];
    const { figures, html } = reportOf([{ number: 2, title: "leads only", items: ["impact", "clarity"], groups: ["leads"] }, { number: 3, title: "both groups", items: ["impact"] }], small);
    expect(html).toContain('<p class="small" id="figure-2">Not drawn: Figure 2: leads only. Every figure in it is withheld');
    const three = figures.find((f) => f.id === "figure-3")!;
    expect(three.rows).toEqual([["Impact", "ASYE leads", "[c]", "[c]"], ["Impact", "NQSWs", 75, 60]]);
    expect(three.svg).toContain("n&lt;30: not shown");
    // Both items are drawn in declared figures, so nothing is numbered automatically.
    expect(figures.map((f) => f.id)).toEqual(["figure-3"]);
  });
});

describe("the positive answers in a figure's title", () => {
  it("are in lower case as words in a sentence, acronyms kept", () => {
    expect(positiveWords(["Very useful", "Useful"])).toBe("very useful or useful");
    expect(positiveWords(["Would offer it to the same number of NQSWs"])).toBe("would offer it to the same number of NQSWs");
    expect(positiveWords(["NQSW-led"])).toBe("NQSW-led");
  });
});
