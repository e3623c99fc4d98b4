/**
 * Writes the example cycles' synthetic exports (examples/{cycle}/exports/{group}.csv) from
 * examples/{cycle}/answers.json: how many respondents gave each answer, per group. Rows are
 * shuffled with a fixed seed, so the files are the same on every run. No real personal data.
 *
 *   npm run examples
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import type { CycleConfig } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { csvPreset } from "../lib/sources/presets/csv.ts";
import { csvLine } from "./csvLine.ts";
import { seededRandom, shuffle } from "./seededRandom.ts";

const answersSchema = z.object({
  seed: z.number().int(),
  submitted: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  /**
   * Items added to the questionnaire after the other answers were fixed: their columns come
   * last and are dealt after every other column, so adding them leaves every earlier cell (and
   * every figure computed from it) as it was.
   */
  itemsAddedLater: z.array(z.string()).default([]),
  groups: z.record(
    z.string(),
    z.object({
      idPrefix: z.string(),
      childAndFamilyOnly: z.number().int().nonnegative(),
      both: z.number().int().nonnegative(),
      items: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())),
      multiSelect: z
        .record(
          z.string(),
          z.object({
            answered: z.number().int(),
            selected: z.record(z.string(), z.number().int()),
          }),
        )
        .default({}),
      /**
       * Open-text answers: how many wrote one and how many mention each code (written so the
       * codebook's rules find them); `codedByAnalyst` answers are worded so the rules miss them,
       * and the analyst's coding file (coding/{question}.csv) codes them.
       */
      openText: z
        .record(z.string(), z.object({ answered: z.number().int(), selected: z.record(z.string(), z.number().int()), codedByAnalyst: z.number().int().default(0) }))
        .default({}),
      /**
       * Subgroup variables read only to weight by (region, employer type): how many respondents
       * gave each value, dealt out at random after every other column (so those stay as they were).
       */
      variables: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())).default({}),
      /** Respondents split by a subgroup variable; a part's own item counts apply to its rows only. */
      segments: z
        .object({
          variable: z.string(),
          parts: z.array(
            z.object({
              values: z.array(z.string()),
              count: z.number().int().nonnegative(),
              items: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())).default({}),
            }),
          ),
        })
        .optional(),
    }),
  ),
});
type Answers = z.infer<typeof answersSchema>;

/** Phrases an answer uses for each theme; every one holds a keyword of its code. */
const THEME_PHRASES: Record<string, string[]> = {
  training: ["anti-racism training for all staff", "training sessions on race equality", "workshops on anti-racist practice"],
  supervision: ["discussed through supervision", "reflective supervision covers it"],
  culture: ["part of the team culture", "built into our values"],
  policy: ["a clear anti-racism policy", "a published statement on racism"],
};
/** An answer about training worded so that no rule finds it: the analyst codes it. */
const ANALYST_CODED = "CPD sessions on racism awareness";

/** One group's export as CSV text, and the analyst's coding of its open-text answers (rows: question, response id, code). */
export function exportCsv(config: CycleConfig, answers: Answers, group: string): string {
  return exportWithCoding(config, answers, group).csv;
}

/** {@link exportCsv}, with the coding rows an analyst would write for the answers the rules miss. */
export function exportWithCoding(config: CycleConfig, answers: Answers, group: string): { csv: string; coding: string[][] } {
  const spec = answers.groups[group]!;
  const random = seededRandom(answers.seed + group.length * 7919 + group.charCodeAt(0));
  const total = spec.childAndFamilyOnly + spec.both;
  const header: string[] = [
    csvPreset.columns.responseId,
    csvPreset.columns.submittedAt,
    csvPreset.columns.serviceArea,
  ];
  const columns: string[][] = [];

  const serviceAreas = shuffle(
    [
      ...Array<string>(spec.childAndFamilyOnly).fill(config.serviceArea.childAndFamilyOnly[0]!),
      ...Array<string>(spec.both).fill(config.serviceArea.both[0]!),
    ],
    random,
  );
  const from = Date.parse(answers.submitted.from);
  const span = Date.parse(answers.submitted.to) - from;
  const times = Array.from({ length: total }, () => new Date(from + Math.floor(random() * span)))
    .sort((a, b) => a.getTime() - b.getTime())
    .map((time) => time.toISOString().replace(/\.\d{3}Z$/, "Z"));

  // Which segment (part) each row belongs to, when the group is split by a subgroup variable.
  const parts = spec.segments?.parts ?? [{ values: [], count: total, items: {} }];
  if (parts.reduce((sum, part) => sum + part.count, 0) !== total) {
    throw new Error(`${group}: segment counts do not add up to ${total}`);
  }
  const partOfRow = shuffle(
    parts.flatMap((part, index) => Array<number>(part.count).fill(index)),
    random,
  );
  const rowsOfPart = parts.map((_, index) => partOfRow.flatMap((part, row) => (part === index ? [row] : [])));
  const allRows = Array.from({ length: total }, (_, row) => row);
  const answerColumn = (counts: Record<string, number>, rows: number[], name: string) => {
    const cells = Object.entries(counts).flatMap(([label, n]) => Array<string>(n).fill(label));
    if (cells.length > rows.length) throw new Error(`${name}: ${cells.length} answers for ${rows.length} respondents`);
    const shuffled = shuffle([...cells, ...Array<string>(rows.length - cells.length).fill("")], random);
    return rows.map((row, i) => [row, shuffled[i]!] as const);
  };
  const addedLater = new Set(answers.itemsAddedLater);
  const itemColumn = (item: CycleConfig["questionnaire"]["items"][number]) => {
    const column = item.columns[group];
    if (column === undefined) return;
    const name = `${group}/${item.id}`;
    const bySegment = parts.every((part) => part.items[item.id] !== undefined);
    const cells = new Map(
      bySegment
        ? parts.flatMap((part, index) => answerColumn(part.items[item.id]!, rowsOfPart[index]!, name))
        : answerColumn(spec.items[item.id] ?? {}, allRows, name),
    );
    header.push(column);
    columns.push(allRows.map((row) => cells.get(row)!));
  };
  for (const item of config.questionnaire.items) if (!addedLater.has(item.id)) itemColumn(item);
  for (const variable of config.questionnaire.subgroupVariables) {
    const column = variable.columns[group];
    if (column === undefined || spec.variables[variable.id] !== undefined) continue;
    if (spec.segments?.variable !== variable.id) throw new Error(`${group}: no segments for ${variable.id}`);
    const seen = parts.map(() => 0);
    header.push(column);
    columns.push(partOfRow.map((part) => {
      const values = parts[part]!.values;
      return values.length === 0 ? "" : values[seen[part]!++ % values.length]!;
    }));
  }
  for (const question of config.questionnaire.multiSelect) {
    const options = question.options.filter((option) => option.columns[group] !== undefined);
    if (options.length === 0) continue;
    const selections = chooseSelections(
      total,
      spec.multiSelect[question.id],
      options.map((o) => o.id),
      random,
    );
    options.forEach((option, index) => {
      header.push(option.columns[group]!);
      columns.push(selections[index]!.map((chosen) => (chosen ? "Yes" : "")));
    });
  }

  const idOf = (row: number) => `${spec.idPrefix}-${String(row + 1).padStart(4, "0")}`;
  const coding: string[][] = [];
  for (const question of config.questionnaire.openText) {
    const column = question.columns[group];
    const textSpec = spec.openText[question.id];
    if (column === undefined) continue;
    const codes = question.codebook.map((code) => code.id);
    const selections = chooseSelections(total, textSpec, codes, random);
    let analyst = textSpec?.codedByAnalyst ?? 0;
    header.push(column);
    columns.push(
      allRows.map((row) => {
        const chosen = codes.filter((_, k) => selections[k]![row]);
        if (chosen.length === 0) return "";
        if (analyst > 0 && chosen.length === 1 && chosen[0] === "training") {
          analyst--;
          coding.push([question.id, group, idOf(row), "training"]);
          return ANALYST_CODED;
        }
        const text = chosen.map((code) => { const phrases = THEME_PHRASES[code] ?? [code]; return phrases[row % phrases.length]!; }).join("; ");
        return text.charAt(0).toUpperCase() + text.slice(1);
      }),
    );
    if (analyst > 0) throw new Error(`${group}/${question.id}: no answer left to word for the analyst`);
  }

  for (const variable of config.questionnaire.subgroupVariables) {
    const counts = spec.variables[variable.id];
    const column = variable.columns[group];
    if (counts === undefined || column === undefined) continue;
    header.push(column);
    columns.push(answerColumn(counts, allRows, `${group}/${variable.id}`).sort(([a], [b]) => a - b).map(([, cell]) => cell));
  }
  for (const id of answers.itemsAddedLater) {
    const item = config.questionnaire.items.find((i) => i.id === id);
    if (item === undefined) throw new Error(`itemsAddedLater: unknown item ${id}`);
    itemColumn(item);
  }

  const lines = [csvLine(header)];
  for (let row = 0; row < total; row++) {
    const id = idOf(row);
    lines.push(
      csvLine([id, times[row]!, serviceAreas[row]!, ...columns.map((column) => column[row]!)]),
    );
  }
  return { csv: `${lines.join("\r\n")}\r\n`, coding };
}

/** Who selected each option: exactly `answered` respondents select at least one, with the given counts. */
function chooseSelections(
  total: number,
  spec: { answered: number; selected: Record<string, number> } | undefined,
  optionIds: string[],
  random: () => number,
): boolean[][] {
  const chosen = optionIds.map(() => Array<boolean>(total).fill(false));
  if (!spec) return chosen;
  const answering = shuffle(
    Array.from({ length: total }, (_, i) => i),
    random,
  ).slice(0, spec.answered);
  const uncovered = new Set(answering);
  const order = optionIds
    .map((id, index) => ({ index, n: spec.selected[id] ?? 0 }))
    .sort((a, b) => b.n - a.n);
  for (const { index, n } of order) {
    const first = [...uncovered].slice(0, n);
    const rest = shuffle(
      answering.filter((i) => !first.includes(i)),
      random,
    ).slice(0, n - first.length);
    for (const respondent of [...first, ...rest]) {
      chosen[index]![respondent] = true;
      uncovered.delete(respondent);
    }
  }
  if (uncovered.size > 0)
    throw new Error(`${uncovered.size} respondents would have answered with no option`);
  return chosen;
}

function main(): void {
  for (const cycle of ["asye-cf-2024", "asye-cf-2025"]) {
    const folder = `examples/${cycle}`;
    const config = parseCycleConfig(
      readFileSync(`${folder}/cycle.json`, "utf8"),
      `${folder}/cycle.json`,
    );
    const answers = answersSchema.parse(JSON.parse(readFileSync(`${folder}/answers.json`, "utf8")));
    mkdirSync(`${folder}/exports`, { recursive: true });
    const coding: string[][] = [];
    for (const group of Object.keys(answers.groups)) {
      const written = exportWithCoding(config, answers, group);
      writeFileSync(`${folder}/exports/${group}.csv`, written.csv);
      coding.push(...written.coding);
      console.log(`wrote ${folder}/exports/${group}.csv`);
    }
    for (const question of config.questionnaire.openText) {
      const rows = coding.filter((row) => row[0] === question.id).map((row) => row.slice(1));
      if (rows.length === 0) continue;
      mkdirSync(`${folder}/coding`, { recursive: true });
      writeFileSync(`${folder}/coding/${question.id}.csv`, `${[csvLine(["group", "response_id", "code"]), ...rows.map(csvLine)].join("\r\n")}\r\n`);
      console.log(`wrote ${folder}/coding/${question.id}.csv`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
