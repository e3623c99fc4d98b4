import { describe, expect, it } from "vitest";
import { syntheticCycle } from "../bench/syntheticCycle.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { encodeRow, type RowProblem } from "../lib/survey/ingest/encodeRow.ts";
import { buildExportLayout } from "../lib/survey/ingest/exportLayout.ts";
import { LineEncoder } from "../lib/survey/ingest/lineEncoder.ts";
import { ResponseIdSet } from "../lib/survey/ingest/responseIdSet.ts";
import { isDateTimeBytes } from "../lib/sources/dateTimeBytes.ts";
import { parseDateTime } from "../lib/sources/parseDateTime.ts";
import type { DateOrder } from "../lib/sources/sourceSchema.ts";
import { seededRandom } from "../scripts/seededRandom.ts";

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

/** A cycle with what makes a cell hard to read as bytes: codes, "not answered" values, unclassified values, both kinds of multi-select. */
function awkwardCycle(dateOrder: DateOrder) {
  const cycle = syntheticCycle();
  const scale = cycle.questionnaire.scales[0]!;
  return cycleConfigSchema.parse({
    ...cycle,
    groups: [{ ...cycle.groups[0], source: { tool: "csv", dateOrder, missing: ["-99", "Not answered"], marks: { chosen: ["●"], notChosen: ["-"] }, incomplete: "include" } }],
    questionnaire: {
      ...cycle.questionnaire,
      // A label with a comma (no shorter label before it): one field with tabs, two (a row rejected) with commas.
      scales: [{ ...scale, categories: [...scale.categories, "Mostly, yes"], codes: { "1": "Strongly agree", "2": "Agree", AO06: "Don't know" }, missing: ["N/A"] }],
      items: cycle.questionnaire.items.slice(0, 6),
      subgroupVariables: [{ ...cycle.questionnaire.subgroupVariables[0]!, unclassified: ["Prefer not to say"] }],
      multiSelect: [
        { ...cycle.questionnaire.multiSelect[0]!, options: cycle.questionnaire.multiSelect[0]!.options.slice(0, 4) },
        {
          id: "supports",
          text: "Supports",
          options: ["Mentoring", "Reflective supervision", "Reflective supervision, group"].map((label, i) => ({ id: `support-${i + 1}`, label })),
          delimited: { nqsws: { column: "Supports", separator: ";" } },
        },
      ],
      // Comparisons are not what this test is about.
    },
    comparisons: [],
  });
}

const ITEM_CELLS = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know", "Mostly, yes", "1", "2", "AO06", "-99", "N/A", "Not answered"];
const ITEM_ODD = ["", "agree", "AGREE", " Agree", "Agree ", "Don’t know", "don't know", "Agre", "Agreed", "Agree x", "3", "ao06", "n/a", "not  answered", "é", "Strongly", "Strongly agreee", "-9"];
const SERVICE_CELLS = ["Child and family only", "Both child and family and adult services"];
const SERVICE_ODD = ["", "child and family only", "Child and family", "-99", "Not answered", "Adults only"];
const OPTION_CELLS = ["Yes", "", "1", "0", "No", "Y", "N", "TRUE", "false", "Selected", "Not selected", "x", "X", "✓", "✔", "●", "-", "-99"];
const OPTION_ODD = ["yes", "Option 1", "option 1", " Yes", "maybe", "checked", "unchecked", "no ", "2", "xx", "✗", " x", "--", "not answered"];
const ETHNICITY_CELLS = ["White", "Black", "Asian", "Mixed", "Prefer not to say", ""];
const ETHNICITY_ODD = ["white", "Other", "-99", "prefer not to say", "Mixed "];
const SUPPORT_CELLS = ["", "Mentoring", "Mentoring;Reflective supervision", "Reflective supervision, group;Mentoring", "Mentoring; Reflective supervision;"];
const SUPPORT_ODD = ["Coaching", "mentoring", "Mentoring;;Coaching", ";"];
const ID_ODD = ["", " R1", "R1 ", "R\u00a0", "Ré", "  "];

/** A date and time in one of the forms exports write, or one that is not. */
function dateCell(random: Random): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const [y, m, d, h, min, s] = [pick(random, [2024, 2025, 2000, 1900]), 1 + Math.floor(random() * 13), Math.floor(random() * 33), Math.floor(random() * 25), Math.floor(random() * 61), Math.floor(random() * 61)];
  return pick(random, [
    `${y}-${two(m)}-${two(d)}T${two(h)}:${two(min)}:${two(s)}Z`,
    `${y}-${two(m)}-${two(d)} ${two(h)}:${two(min)}:${two(s)}`,
    `${y}-${two(m)}-${two(d)}T${two(h)}:${two(min)}:${two(s)}.${Math.floor(random() * 1000)}+01:00`,
    `${y}-${two(m)}-${two(d)}T${two(h)}:${two(min)}-0500`,
    `${y}-${two(m)}-${two(d)}`,
    `${d}/${m}/${y}`,
    `${two(d)}/${two(m)}/${y} ${h}:${two(min)}`,
    `${m}/${d}/${y} ${h % 13}:${two(min)}:${two(s)} ${pick(random, ["AM", "PM", "am", "pm"])}`,
    `${m}/${d}/${String(y).slice(2)}, ${h}:${two(min)}${pick(random, ["PM", " AM", ""])}`,
    `${y}/${two(m)}/${two(d)} ${h}:${two(min)}:${two(s)} PM GMT`,
    `4567${Math.floor(random() * 10)}.5`,
    ` ${y}-${two(m)}-${two(d)} `,
    `${y}-${two(m)}-${two(d)}T${two(h)}:${two(min)}:`,
    `${d}/${m}/${y}${pick(random, [" ", ",", " 10", " 10:5", " 10:05 XM", " 10:05:07:08"])}`,
    `${y}-${two(m)}-${two(d)}X`,
    "",
    "soon",
  ]);
}

/** A line of the export, and whether every cell is one the byte path must read itself. */
function randomLine(random: Random, header: readonly string[], delimiter: string, dateOrder: DateOrder): { line: string; plain: boolean } {
  let plain = true;
  const choose = (common: readonly string[], odd: readonly string[]) => {
    if (random() < 0.9) return pick(random, common);
    plain = false;
    return pick(random, odd);
  };
  const cells = header.map((name) => {
    if (name === "response_id") return random() < 0.95 ? `R${Math.floor(random() * 50)}` : ((plain = false), pick(random, ID_ODD));
    if (name === "submitted_at") {
      const cell = random() < 0.8 ? `2025-01-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}T10:15:00Z` : dateCell(random);
      if (parseDateTime(cell, dateOrder) === undefined || cell.trim() !== cell) plain = false;
      return cell;
    }
    if (name === "service_area") return choose(SERVICE_CELLS, SERVICE_ODD);
    if (name.startsWith("Q")) return choose(ITEM_CELLS, ITEM_ODD);
    if (name.startsWith("Challenge")) return choose(OPTION_CELLS, OPTION_ODD);
    if (name === "Ethnicity") return choose(ETHNICITY_CELLS, ETHNICITY_ODD);
    if (name === "Supports") return choose(SUPPORT_CELLS, SUPPORT_ODD);
    return pick(random, ["", "10.0.0.1", "some words", "日本語", "a;b"]);
  });
  // A delimiter in a cell (no quotes on a raw line) makes one field two.
  if (cells.some((cell) => cell.includes(delimiter))) plain = false;
  const shape = random();
  if (shape < 0.04) cells.pop();
  else if (shape < 0.08) cells.push("extra");
  else if (shape < 0.12) cells.push("");
  if (shape < 0.08) plain = false;
  return { line: cells.join(delimiter), plain };
}

describe("the byte-level row encoder, differentially against encodeRow", () => {
  for (const [dateOrder, delimiter] of [["dmy", ","], ["mdy", "\t"]] as const) {
    it(`takes exactly the rows encodeRow accepts, encoded to the same bytes (${dateOrder}, ${JSON.stringify(delimiter)}); 20,000 random rows`, () => {
      const config = awkwardCycle(dateOrder);
      const random = seededRandom(dateOrder === "dmy" ? 11 : 12);
      const header = ["response_id", "IP Address", "submitted_at", "service_area", ...config.questionnaire.items.map((item) => item.columns.nqsws!), "Supports", ...config.questionnaire.multiSelect[0]!.options.map((option) => option.columns.nqsws!), "Ethnicity", "Notes"];
      // Columns in an order of their own, as tools write them.
      header.sort(() => random() - 0.5);
      const layout = buildExportLayout(config, "nqsws", header, "fuzz.csv");
      const encoder = LineEncoder.for(layout, delimiter)!;
      const encoded = new Uint8Array(layout.rowWidth);
      const expected = new Uint8Array(layout.rowWidth);
      const problems: RowProblem[] = [];
      let taken = 0;
      let plainRows = 0;
      for (let n = 0; n < 20_000; n++) {
        const { line, plain } = randomLine(random, header, delimiter, dateOrder);
        // The line among others, as in a chunk, or last of all: the bytes around it must not matter.
        const before = "x,y\n";
        const bytes = Buffer.from(`${before}${line}${pick(random, ["", "\n", "\n,", "\nAgree", "\n\t"])}`);
        const start = Buffer.byteLength(before);
        const end = start + Buffer.byteLength(line);
        encoded.fill(0xee);
        expected.fill(0xdd);
        const fast = encoder.encode(bytes, start, end, encoded, 0);
        problems.length = 0;
        const record = line.split(delimiter);
        const slow = encodeRow(layout, record, 2, expected, 0, problems);
        if (plain) plainRows++;
        expect(fast, `${fast ? "accepted as bytes, rejected as text" : "declined as bytes, accepted as text"}: ${JSON.stringify(line)} ${JSON.stringify(problems)}`).toBe(slow);
        if (!fast) continue;
        taken++;
        expect([...encoded], JSON.stringify(line)).toEqual([...expected]);
        expect(encoder.idText ?? bytes.toString("utf8", encoder.idStart, encoder.idEnd)).toBe(record[layout.responseId]!.trim());
      }
      // The test means something only if rows of every kind come often.
      expect(plainRows).toBeGreaterThan(1_000);
      expect(taken).toBeGreaterThan(plainRows);
      expect(taken).toBeLessThan(20_000 - 1_000);
    });
  }

  it("declines to read a column two ways (then every row goes through encodeRow)", () => {
    const config = awkwardCycle("dmy");
    const items = config.questionnaire.items.map((item, i) => (i === 1 ? { ...item, columns: { nqsws: config.questionnaire.items[0]!.columns.nqsws! } } : item));
    const twice = { ...config, questionnaire: { ...config.questionnaire, items } };
    const header = ["response_id", "submitted_at", "service_area", ...config.questionnaire.items.map((item) => item.columns.nqsws!), "Supports", ...config.questionnaire.multiSelect[0]!.options.map((option) => option.columns.nqsws!), "Ethnicity"];
    expect(LineEncoder.for(buildExportLayout(twice, "nqsws", header, "f.csv"), ",")).toBeUndefined();
  });
});

describe("an option's own column", () => {
  const config = awkwardCycle("dmy");
  const question = config.questionnaire.multiSelect[0]!;
  const header = ["response_id", "submitted_at", "service_area", ...config.questionnaire.items.map((item) => item.columns.nqsws!), "Supports", ...question.options.map((option) => option.columns.nqsws!), "Ethnicity"];
  const layout = buildExportLayout(config, "nqsws", header, "marks.csv");
  const option = layout.multiSelect[0]!.options[0]!;
  /** The bits a row's option cells set, or its problems. */
  const read = (cells: string[]) => {
    const record = header.map((name): string => (name === "response_id" ? "R1" : name === "submitted_at" ? "20/01/2025 10:15" : name === "service_area" ? "Child and family only" : ""));
    cells.forEach((cell, k) => (record[header.indexOf(question.options[k]!.columns.nqsws!)] = cell));
    const target = new Uint8Array(layout.rowWidth);
    const problems: RowProblem[] = [];
    return encodeRow(layout, record, 2, target, 0, problems) ? target[layout.multiSelect[0]!.offset] : problems.map((p) => `${p.column}: ${p.expected}`);
  };

  it("reads x, ✓, ✔, the option's label and id, and the cycle file's marks as chosen", () => {
    expect(read(["x", "X", "✓", "✔"])).toBe(0b1111);
    expect(read([question.options[0]!.label, question.options[1]!.id, "●", ""])).toBe(0b0111);
  });

  it("reads the source's \"not answered\" values and the cycle file's not-chosen marks as not chosen", () => {
    expect(read(["-99", "Not answered", "-", "No"])).toBe(0);
  });

  it("makes any other mark a row problem that lists the marks it reads", () => {
    expect(read(["✗", "", "", ""])).toEqual([`${option.header}: ${option.expected}`]);
    expect(option.expected).toContain('"x"');
    expect(option.expected).toContain('"●"');
    expect(option.expected).toContain('"-99"');
  });

  it("refuses a cycle file whose marks read one cell both ways", () => {
    const cycle = syntheticCycle();
    const parsed = cycleConfigSchema.safeParse({ ...cycle, groups: [{ ...cycle.groups[0], source: { tool: "csv", marks: { chosen: ["no"] } } }] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("a mark can mean chosen or not chosen, not both");
  });
});

describe("completion times read as bytes", () => {
  it("are recognised only when parseDateTime accepts them, and always in the ISO and slashed forms it accepts (20,000 random cells)", () => {
    const random = seededRandom(5);
    let recognised = 0;
    for (let n = 0; n < 20_000; n++) {
      const order: DateOrder = random() < 0.5 ? "dmy" : "mdy";
      const cell = dateCell(random);
      const bytes = Buffer.from(`a,${cell},b`);
      const byBytes = isDateTimeBytes(bytes, 2, 2 + Buffer.byteLength(cell), order);
      const parsed = parseDateTime(cell, order);
      if (byBytes) recognised++;
      if (byBytes) expect(parsed, cell).toBeDefined();
      const isoOrSlashed = /^\d{4}-\d\d-\d\d(?:[T ]|$)|^\d{1,2}\/\d{1,2}\/\d+(?:[ ,]|$)/.test(cell);
      if (parsed !== undefined && isoOrSlashed && cell.trim() === cell) expect(byBytes, `${cell} (${order})`).toBe(true);
    }
    expect(recognised).toBeGreaterThan(5_000);
  });
});

describe("the response id set", () => {
  it("finds repeats as a Map of strings does, across its growth (100,000 ids)", () => {
    const random = seededRandom(9);
    const set = new ResponseIdSet();
    const map = new Map<string, number>();
    for (let row = 2; row < 100_002; row++) {
      const id = pick(random, ["R", "Ré", "日", ""]) + Math.floor(random() * 60_000).toString(36);
      const bytes = Buffer.from(`,${id},`);
      const found = random() < 0.5 ? set.firstRow(bytes, 1, bytes.length - 1, row) : set.firstRowOfText(id, row);
      expect(found).toBe(map.get(id) ?? -1);
      if (!map.has(id)) map.set(id, row);
    }
    expect(set.size).toBe(map.size);
  });
});
