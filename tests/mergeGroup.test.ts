import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { movedAnswers } from "../lib/console/setup/addGroupRoutes.ts";
import { addedColumns, choiceProblems, type ColumnChoice, type DraftShape, headerWords, mergeGroup, readDraftShape } from "../lib/console/setup/mergeGroup.ts";
import { todoFields } from "../lib/console/setup/todoFields.ts";
import { draftCycle } from "../lib/survey/draft/draftCycle.ts";

// Adding a group to a draft in the console: the 2024-25 exports, each drafted as `asye init --group` drafts it.
const EXAMPLE = JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8")) as { questionnaire: { items: { id: string; columns: Record<string, string> }[] } };

async function drafted(group: string): Promise<DraftShape> {
  const path = `examples/asye-cf-2025/exports/${group}.csv`;
  return readDraftShape((await draftCycle(() => createReadStream(path), `${group}.csv`, { group })).cycle)!;
}

/** The published cycle's item for a column of a group, by its id. */
function truthOf(group: string, header: string): string | undefined {
  return EXAMPLE.questionnaire.items.find((item) => item.columns[group] === header)?.id;
}

/** The choices the published cycle made: each column onto the draft's item the published cycle has it in, else left out. */
function truthChoices(base: DraftShape, added: DraftShape, group: string): Map<number, ColumnChoice> {
  const choices = new Map<number, ColumnChoice>();
  added.questionnaire.items.forEach((item, index) => {
    const id = truthOf(group, Object.values(item.columns)[0]!);
    const onto = base.questionnaire.items.findIndex((other) => Object.entries(other.columns).some(([g, header]) => id !== undefined && truthOf(g, header) === id));
    choices.set(index, id === undefined ? "leave-out" : onto === -1 ? "new" : { onto });
  });
  return choices;
}

describe("adding a group's export to a draft", () => {
  it("reads a header's words without its question number", () => {
    expect([...headerWords("Q4_1 How useful: ASYE website resources")]).toEqual(["usefu", "asye", "websi", "resou"]);
    expect([...headerWords("Q12a My organisation values diversity")]).toEqual(["organ", "value", "diver"]);
  });

  it("offers each column only the items on the same answers, and proposes the likest, each item once", async () => {
    const [leads, assessors] = [await drafted("leads"), await drafted("assessors")];
    const columns = addedColumns(leads, assessors, "assessors");
    expect(columns).toHaveLength(assessors.questionnaire.items.length);
    const proposedId = (header: string) => {
      const choice = columns.find((column) => column.header === header)!.proposed;
      return typeof choice === "object" ? truthOf("leads", leads.questionnaire.items[choice.onto]!.columns.leads!) : choice;
    };
    expect(proposedId("Q5 Positive impact on my role")).toBe("impact-on-role");
    expect(proposedId("Q10 Confidence in my capability as an assessor")).toBe("confidence-assessors");
    expect(proposedId("Q12_3 Impact of the ASYE: retention of NQSWs")).toBe("asye-impact-retention");
    // Ethnicity's answers differ from the leads' (no draft scale has the same): it can only be new or left out.
    const ethnicity = columns.find((column) => column.header === "Ethnicity")!;
    expect([ethnicity.candidates, ethnicity.proposed]).toEqual([[], "new"]);
    for (const column of columns) {
      for (const at of column.candidates) expect(leads.questionnaire.items[at]!.scale).toBe(assessors.questionnaire.items[column.index]!.scale);
    }
    const onto = columns.flatMap((column) => (typeof column.proposed === "object" ? [column.proposed.onto] : []));
    expect(new Set(onto).size).toBe(onto.length);
  });

  it("merges three groups' drafts into the published cycle's columns, leaving the draft it started from as it was", async () => {
    const leads = await drafted("leads");
    const before = structuredClone(leads);
    let merged = leads;
    for (const group of ["assessors", "nqsws"]) {
      const added = await drafted(group);
      merged = mergeGroup(merged, added, group, truthChoices(merged, added, group));
    }
    expect(leads).toEqual(before);
    expect(merged.groups.map((group) => group.id)).toEqual(["leads", "assessors", "nqsws"]);
    for (const item of EXAMPLE.questionnaire.items) {
      const found = merged.questionnaire.items.filter((candidate) => Object.entries(candidate.columns).some(([group, header]) => item.columns[group] === header));
      expect(found.map((candidate) => candidate.columns), item.id).toEqual([item.columns]);
    }
    // The columns left out are in no item; the scales no merged item uses are not added.
    const headers = merged.questionnaire.items.flatMap((item) => Object.values(item.columns));
    expect(headers).not.toContain("Region");
    expect(merged.questionnaire.scales.map((scale) => scale.id)).toEqual(leads.questionnaire.scales.map((scale) => scale.id));
  });

  it("adds a new column's own scale, under a fresh id when the draft's is taken, with its TODOs", async () => {
    const [leads, nqsws] = [await drafted("leads"), await drafted("nqsws")];
    const index = (header: string) => nqsws.questionnaire.items.findIndex((item) => item.columns.nqsws === header);
    const merged = mergeGroup(leads, nqsws, "nqsws", new Map<number, ColumnChoice>([[index("What is your ethnic group?"), "new"], [index("Region"), "new"]]));
    const scaleOf = (header: string) => merged.questionnaire.scales.find((scale) => scale.id === merged.questionnaire.items.find((item) => item.columns.nqsws === header)!.scale)!;
    // The leads' ethnicity answers are "answers-1" (other answers than the NQSWs'); "answers-2" is free.
    expect([scaleOf("What is your ethnic group?").id, scaleOf("Region").id]).toEqual(["answers-1-nqsws", "answers-2"]);
    expect(scaleOf("Region").categories).toEqual(nqsws.questionnaire.scales.find((scale) => scale.id === "answers-2")!.categories);
    const paths = todoFields(merged).map((field) => field.path);
    expect(paths).toEqual(expect.arrayContaining(["groups[1].label", "groups[1].delivered", `questionnaire.scales[${merged.questionnaire.scales.indexOf(scaleOf("Region"))}].positive`]));
  });

  it("refuses two columns onto one item, and an item on other answers, naming the columns", async () => {
    const [leads, assessors] = [await drafted("leads"), await drafted("assessors")];
    const columns = addedColumns(leads, assessors, "assessors");
    const first = columns.find((column) => column.header.startsWith("Q14_1"))!;
    const second = columns.find((column) => column.header.startsWith("Q14_2"))!;
    const ease = columns.find((column) => column.header.startsWith("Q6 "))!;
    const choices = new Map<number, ColumnChoice>([
      [first.index, { onto: 14 }],
      [second.index, { onto: 14 }],
      [ease.index, { onto: 0 }],
    ]);
    const problems = choiceProblems(columns, choices, leads);
    expect(problems.get(second.index)).toBe(`Column “${second.header}” and column “${first.header}” both go onto the item of column “${leads.questionnaire.items[14]!.columns.leads}”: an item has one column for each group`);
    expect(problems.get(ease.index)).toContain("has other answers than that item");
    expect(problems.has(first.index)).toBe(false);
    expect(choiceProblems(columns, new Map(), leads).size).toBe(0);
  });

  it("moves the answers given so far to their fields' names in the merged draft", async () => {
    const [leads, assessors] = [await drafted("leads"), await drafted("assessors")];
    const fields = todoFields(leads);
    const itemId = fields.find((field) => field.path === "questionnaire.items[0].id")!;
    const merged = mergeGroup(leads, assessors, "assessors", new Map());
    const moved = movedAnswers(leads, merged, { t0: ["asye-cf-2025"], [itemId.name]: ["support-website"], oi21: ["leave-out"] });
    const after = todoFields(merged);
    expect(moved).toEqual({ t0: ["asye-cf-2025"], [after.find((field) => field.path === "questionnaire.items[0].id")!.name]: ["support-website"], oi21: ["leave-out"] });
    expect(after.find((field) => field.path === "questionnaire.items[0].id")!.name).not.toBe(itemId.name);
  });
});
