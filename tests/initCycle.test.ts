import { createReadStream, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { runCommand } from "../bin/cli.ts";
import { init } from "../bin/commands/init.ts";
import { CycleConfigError } from "../lib/errors.ts";
import { normalizeLabel } from "../lib/sources/normalizeLabel.ts";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import { tallyBatch } from "../lib/survey/compute/tallyBatch.ts";
import type { CycleConfig, Scale } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { type CycleDraft, type DraftCycleFile, draftCycle } from "../lib/survey/draft/draftCycle.ts";
import { openTodos } from "../lib/survey/draft/draftTodos.ts";
import type { DraftScale } from "../lib/survey/draft/proposeScales.ts";
import { checkExport } from "../lib/survey/ingest/checkExport.ts";
import { encodeExport } from "../lib/survey/ingest/encodeExport.ts";
import type { ResultsDocument } from "../lib/survey/results/resultsSchema.ts";

// `asye init` on every tool's example export (examples/exports-by-tool/*/): the draft names the
// tool and columns and proposes the scales and questions; a person's choices (here the example
// cycle file's answers: ids, wording, delivered, which answers are positive, what each code
// means) fill in its TODOs; the filled draft then passes check and gives the example's figures.
const FOLDER = "examples/exports-by-tool";
const TOOLS = readdirSync(FOLDER).sort();
/** Tools whose exports hold answer codes, which say nothing of their meaning: a person writes each code's label. */
const CODED = new Set(["limesurvey", "snap"]);

const exportOf = (tool: string) => join(FOLDER, tool, readdirSync(join(FOLDER, tool)).find((name) => name.startsWith("leads."))!);
const exampleOf = (tool: string) => parseCycleConfig(readFileSync(join(FOLDER, tool, "cycle.json"), "utf8"), `${tool}/cycle.json`);
const draftOf = (file: string) => draftCycle(() => createReadStream(file), file, { group: "leads" });

describe("asye init: a cycle file drafted from each tool's export", () => {
  it.each(TOOLS)("%s: the tool, the fields and every leads question are found", async (tool) => {
    const example = exampleOf(tool);
    const draft = await draftOf(exportOf(tool));
    const source = example.groups[0]!.source;
    expect(draft.answers.preset.tool).toBe(source.tool);
    expect(draft.answers.settledBy).toBe("header");
    const serviceArea = draft.fields.serviceArea === undefined ? undefined : draft.answers.names[draft.fields.serviceArea.column];
    // A coded service area (1 / 2, A1 / A2) says nothing of what it is: a person names it.
    expect(serviceArea).toBe(CODED.has(tool) ? undefined : source.columns.serviceArea);
    const drafted = new Set([...draft.cycle.questionnaire.items.map((item) => item.columns.leads), ...draftedOptionColumns(draft.cycle)]);
    const asked = [...example.questionnaire.items.map((item) => item.columns.leads), ...exampleOptionColumns(example)].filter((column) => column !== undefined);
    expect(asked.filter((column) => !drafted.has(column))).toEqual([]);
  });

  it.each(TOOLS.filter((tool) => !CODED.has(tool)))("%s: every recognised scale is the example's, whole, with its positive answers", async (tool) => {
    const example = exampleOf(tool);
    const draft = await draftOf(exportOf(tool));
    for (const item of example.questionnaire.items.filter((i) => i.columns.leads !== undefined)) {
      const drafted = draft.cycle.questionnaire.items.find((i) => i.columns.leads === item.columns.leads)!;
      const scale = draft.cycle.questionnaire.scales.find((s) => s.id === drafted.scale)!;
      expect(comparable(scale), item.id).toEqual(comparable(example.questionnaire.scales.find((s) => s.id === item.scale)!));
    }
    const options = example.questionnaire.multiSelect.flatMap((question) => question.options.map((option) => option.label));
    expect(draft.cycle.questionnaire.multiSelect.flatMap((question) => question.options.map((option) => option.label)).sort()).toEqual(options.sort());
  });

  it.each(TOOLS)("%s: refused while any TODO is open; with a person's choices, it passes check and gives the example's figures", async (tool) => {
    const file = exportOf(tool);
    const example = exampleOf(tool);
    const draft = await draftOf(file);
    expect(() => parseCycleConfig(JSON.stringify(draft.cycle), "draft.json")).toThrow(CycleConfigError);
    const filled = fillAsAPersonWould(draft, example);
    expect(openTodos(filled)).toEqual([]);
    const config = parseCycleConfig(JSON.stringify(filled), "draft.json");
    const checked = await checkExport(createReadStream(file), config, "leads", file);
    expect(checked.refused).toBeUndefined();
    expect(checked.counts).toEqual({ rows: 52, accepted: 52, rejected: 0, duplicates: 0 });
    expect(await leadsFigures(config, file)).toEqual(await leadsFigures(example, file));
  });

  it("names each open decision with its path and how to answer it", async () => {
    const draft = await draftOf(exportOf("googleforms"));
    const refusal = captured(() => parseCycleConfig(JSON.stringify(draft.cycle), "leads.draft.json"));
    expect(refusal.problems[0]).toBe("id: TODO: the cycle's id (lower-case letters, digits and dashes, e.g. asye-cf-2026)");
    expect(refusal.problems).toContain('groups[0].delivered: TODO: how many survey links were delivered to this group: a whole number, the response rate\'s denominator (this export has 52 responses)');
    const ethnicity = draft.cycle.questionnaire.scales.findIndex((scale) => scale.categories.includes("White"));
    expect(refusal.problems.some((problem) => problem.startsWith(`questionnaire.scales[${ethnicity}].positive[0]: TODO: which answers are positive?`))).toBe(true);
    expect(refusal.problems.at(-1)).toBe(`${draft.todos} decisions are still marked TODO: replace each "TODO: …" string with your answer (docs/survey-team.md, "Drafting a cycle file from an export")`);
  });

  it("drafts a hand-made export: x marks, a lone yes / no column, a not-counted answer, free text, a service area by name", async () => {
    const rows = [
      "Respondent no,Submitted at,Service area,Q5: Apples,Q5: Pears,Q5: Plums,Q6 Agreed?,Q7 Satisfaction,Q8 Anything else?",
      ...Array.from({ length: 40 }, (_, i) =>
        [i + 1, `20/01/2025 10:${String(i).padStart(2, "0")}`, i % 3 === 0 ? "C&F" : "Both", i % 2 ? "x" : "", i % 3 ? "X" : "", "", i % 4 ? "Yes" : "No", ["Very satisfied", "Fairly satisfied", "Not applicable", "Very dissatisfied"][i % 4], i % 5 ? "" : `comment ${i}`].join(","),
      ),
    ];
    const open = () => Readable.from([Buffer.from(`${rows.join("\r\n")}\r\n`)]);
    const draft = await draftCycle(open, "uploads/fruit survey.csv");
    expect([draft.answers.preset.tool, draft.answers.settledBy, draft.group.id]).toEqual(["csv", "default", "fruit-survey"]);
    expect(draft.cycle.groups[0]!.source.columns).toEqual({ responseId: "Respondent no", submittedAt: "Submitted at", serviceArea: "Service area" });
    expect(draft.cycle.serviceArea!.both[0]).toMatch(/^TODO: which answers of "Service area" mean "both/u);
    const [question] = draft.cycle.questionnaire.multiSelect;
    expect(question!.options.map((o) => [o.id, o.label, o.columns])).toEqual([
      ["apples", "Apples", { "fruit-survey": "Q5: Apples" }],
      ["pears", "Pears", { "fruit-survey": "Q5: Pears" }],
      ["plums", "Plums", { "fruit-survey": "Q5: Plums" }],
    ]);
    expect(draft.multiSelect[0]!.marks).toEqual(["x", "X"]);
    expect(draft.cycle.questionnaire.scales.map((scale) => [scale.id, scale.categories.length, scale.excludedFromBase])).toEqual([
      ["yes-no", 3, ["Don't know"]],
      ["satisfied", 7, ["Don't know", "Not applicable"]],
    ]);
    expect(draft.roles[8]).toEqual({ kind: "left out", why: "free text (8 different answers)" });
    // A person who takes the suggested ids and the headers as wording, and says what the service area's answers mean:
    const cycle = structuredClone(draft.cycle);
    Object.assign(cycle, { id: "fruit-2025", title: "Fruit", schedule: { opens: "2025-01-10", closes: "2025-02-01", reminderIntervalDays: 14 }, serviceArea: { childAndFamilyOnly: ["C&F"], both: ["Both"] } });
    Object.assign(cycle.groups[0]!, { label: "Fruit eaters", delivered: 60 });
    for (const asked of [...cycle.questionnaire.items, ...cycle.questionnaire.multiSelect]) Object.assign(asked, { id: suggested(asked.id), text: "As worded" });
    const config = parseCycleConfig(JSON.stringify(cycle), "fruit.json");
    const checked = await checkExport(open(), config, "fruit-survey", "fruit survey.csv");
    expect([checked.refused, checked.counts]).toEqual([undefined, { rows: 40, accepted: 40, rejected: 0, duplicates: 0 }]);
  });

  it("reads a gzipped export as ingest would", async () => {
    const file = exportOf("googleforms");
    const gzipped = gzipSync(readFileSync(file));
    const draft = await draftCycle(() => Readable.from([gzipped]), "leads.csv.gz");
    expect([draft.answers.preset.tool, draft.answers.facts.compression, draft.group.id, draft.cycle.questionnaire.items.length]).toEqual(["googleforms", "gzip", "leads", 34]);
  });

  it("asye init writes the draft to --out, says what it found, and never writes over a file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "asye-init-")), "leads.draft.json");
    const said: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void said.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void said.push(line));
    try {
      expect(await runCommand(init, [exportOf("snap"), "--out", out])).toBe(0);
      expect(await runCommand(init, [exportOf("snap"), "--out", out])).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
    expect(JSON.parse(readFileSync(out, "utf8")).groups[0].source).toEqual({ tool: "snap", columns: {} });
    expect(said[0]).toContain(`Drafted a cycle file from ${exportOf("snap")} into ${out}`);
    expect(said[0]).toContain(`asye check ${out} leads ${exportOf("snap")}`);
    expect(said[1]).toMatch(/--out: .* already exists/u);
  });

  it("takes the tool it is told over the one the header looks like, and refuses a file that is no export", async () => {
    const file = exportOf("jisc");
    const draft = await draftCycle(() => createReadStream(file), file, { tool: "csv" });
    expect([draft.answers.preset.tool, draft.answers.settledBy, draft.group.id]).toEqual(["csv", "option", "leads"]);
    expect(draft.cycle.groups[0]!.source.columns).toMatchObject({ responseId: "Response ID", submittedAt: "Completed" });
    const empty = async function* () {};
    await expect(draftCycle(empty, "empty.csv")).rejects.toThrow(/empty/);
  });
});

/** Fills in a draft's TODOs as a person would, from what they know (here, the example cycle file): the edits a person makes, nothing more. */
function fillAsAPersonWould(draft: CycleDraft, example: CycleConfig): DraftCycleFile {
  const cycle = structuredClone(draft.cycle);
  const exampleGroup = example.groups.find((group) => group.id === "leads")!;
  Object.assign(cycle, { id: example.id, title: example.title });
  Object.assign(cycle.schedule, { opens: example.schedule.opens, closes: example.schedule.closes });
  const group = cycle.groups[0]!;
  Object.assign(group, { label: exampleGroup.label, delivered: exampleGroup.delivered });
  // The service area, when the draft could not tell it (a coded one): the person names its column and answers.
  const serviceArea = exampleGroup.source.columns.serviceArea;
  if (serviceArea !== undefined && group.source.columns.serviceArea === undefined) group.source.columns.serviceArea = serviceArea;
  cycle.serviceArea = example.serviceArea;
  fillItems(cycle, example);
  fillMultiSelect(cycle, example);
  const q = cycle.questionnaire as DraftCycleFile["questionnaire"] & Partial<CycleConfig["questionnaire"]>;
  q.subgroupVariables = example.questionnaire.subgroupVariables.filter((v) => v.columns.leads !== undefined).map((v) => ({ ...v, columns: { leads: v.columns.leads! } }));
  const itemIds = new Set(q.items.map((item) => item.id));
  q.itemSets = example.questionnaire.itemSets.filter((set) => set.groups?.includes("leads") && set.items.every((id) => itemIds.has(id))).map((set) => ({ ...set, groups: ["leads"] }));
  return cycle;
}

/**
 * Items: each column the example asks as an item gets the example's id and wording (a column it
 * does not, such as ethnicity, a subgroup variable there, loses its item); a scale whose answers
 * the draft could not settle gets the person's labels and positive answers; unused scales go.
 */
function fillItems(cycle: DraftCycleFile, example: CycleConfig): void {
  const q = cycle.questionnaire;
  q.items = q.items.flatMap((item) => {
    const asked = example.questionnaire.items.find((e) => e.columns.leads === item.columns.leads);
    return asked === undefined ? [] : [{ ...item, id: asked.id, text: asked.text }];
  });
  for (const scale of q.scales) {
    if (openTodos(scale).length === 0) continue;
    const items = q.items.filter((item) => item.scale === scale.id);
    const meant = new Set(items.map((item) => example.questionnaire.items.find((e) => e.id === item.id)!.scale));
    // Columns the draft put on one scale are on one scale in the example too.
    expect(meant.size).toBeLessThanOrEqual(1);
    const known = example.questionnaire.scales.find((s) => meant.has(s.id));
    if (known === undefined) continue;
    if (scale.codes !== undefined) expect(Object.keys(scale.codes).filter((code) => known.codes[code] === undefined)).toEqual([]);
    Object.assign(scale, { categories: known.categories, positive: known.positive, excludedFromBase: known.excludedFromBase, ...(scale.codes === undefined ? {} : { codes: known.codes }) });
  }
  q.scales = q.scales.filter((scale) => q.items.some((item) => item.scale === scale.id));
}

/** Multi-select questions: the example's ids and wording, and the label of each option the export shows only by a mark. */
function fillMultiSelect(cycle: DraftCycleFile, example: CycleConfig): void {
  const q = cycle.questionnaire;
  q.multiSelect = q.multiSelect.flatMap((question) => {
    const asked = example.questionnaire.multiSelect.find(
      (e) => e.delimited.leads?.column === question.delimited?.leads?.column || e.options.some((o) => o.columns.leads !== undefined && question.options.some((d) => d.columns.leads === o.columns.leads)),
    );
    if (asked === undefined) return [];
    const options = question.options.map((option) => {
      const meant = asked.options.find((o) => (option.columns.leads !== undefined ? o.columns.leads === option.columns.leads : normalizeLabel(o.label) === normalizeLabel(option.label)))!;
      return { ...option, id: meant.id, label: option.label.startsWith("TODO") ? meant.label : option.label };
    });
    return [{ ...question, id: asked.id, text: asked.text, options }];
  });
}

/** Every figure about the leads group a report prints (tests/exportsByTool.test.ts's), in an order that does not depend on the cycle file's. */
async function leadsFigures(config: CycleConfig, file: string) {
  const document = await resultsOf(config, file);
  const rates = document.responseRates.groups.find((g) => g.group === "leads")!;
  return {
    table6: [rates.childAndFamilyOnly, rates.both, rates.responses, rates.percentage],
    items: document.items
      .flatMap((item) => item.groups.filter((g) => g.group === "leads").map((g) => [item.id, g.share.suppressed ? "n<30" : [g.share.n, g.share.base], g.categories?.map((c) => c.n)]))
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    itemSets: document.itemSets.flatMap((set) => set.groups.filter((g) => g.group === "leads").map((g) => [set.id, g.average.suppressed ? "suppressed" : g.average.percentage])),
    rankings: document.rankings.flatMap((ranking) => ranking.scopes.filter((s) => s.scope === "leads").map((s) => s.options.map((o) => [o.id, o.n, o.rank]).sort())),
  };
}

/** The results document from one leads export, as ingest and compute make it, without storage (as bench/fileToResults.ts). */
async function resultsOf(config: CycleConfig, file: string): Promise<ResultsDocument> {
  const batch: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (batch.push(chunk), done()) });
  const encoded = await encodeExport(createReadStream(file), { config, group: "leads", file, onWriter: (writer) => writer.stream.pipe(sink) });
  encoded.writer.end();
  await new Promise((resolve) => setImmediate(resolve));
  const tally = await tallyBatch((async function* () { yield* batch; })(), file);
  const counts = { rows: encoded.rows, accepted: encoded.writer.rows, rejected: encoded.rejections.rejectedRows, duplicates: encoded.duplicates };
  const upload = { key: file, etag: "test", cycleId: config.id, group: "leads", uploadedAt: "2025-03-01T00:00:00.000Z", sequencer: "0" };
  return buildResults({ config, tallies: new Map([["leads", tally]]), batches: [{ cycleId: config.id, group: "leads", upload, checksum: encoded.facts.sha256, normalizedKey: "test", counts }], previous: undefined, now: new Date("2025-03-01"), codeVersion: "test", generation: 1 });
}

function comparable(scale: DraftScale | Scale) {
  return { categories: scale.categories.map(normalizeLabel), positive: scale.positive.map(normalizeLabel), excludedFromBase: scale.excludedFromBase.map(normalizeLabel) };
}

function draftedOptionColumns(cycle: DraftCycleFile): string[] {
  return cycle.questionnaire.multiSelect.flatMap((q) => [...q.options.flatMap((o) => Object.values(o.columns)), ...Object.values(q.delimited ?? {}).map((d) => d.column)]);
}

function exampleOptionColumns(example: CycleConfig): (string | undefined)[] {
  return example.questionnaire.multiSelect.flatMap((q) => [...q.options.map((o) => o.columns.leads), q.delimited.leads?.column]);
}

/** The id a TODO suggests (`… e.g. website-resources)`). */
function suggested(todo: string): string {
  return /e\.g\. ([a-z0-9-]+)\)$/u.exec(todo)![1]!;
}

function captured(parse: () => unknown): CycleConfigError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CycleConfigError) return error;
    throw error;
  }
  throw new Error("expected the draft to be refused");
}
