import { describe, expect, it } from "vitest";
import { bytesOf, encodeLeads } from "./support/encodeLeads.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { CsvTokenizer } from "../lib/csv/csvTokenizer.ts";
import { FileRejectedError } from "../lib/errors.ts";
import { headerNames } from "../lib/sources/headerNames.ts";
import { normalizeLabel } from "../lib/sources/normalizeLabel.ts";
import { parseDateTime } from "../lib/sources/parseDateTime.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

const config = cycleConfigSchema.parse(testCycle());
const row = (id: string) => `${id},2025-01-20T10:00:00Z,Child and family only,Agree,Strongly agree,Yes,`;

/** Reads an export for the test cycle's leads as ingest does. */
const encode = (chunks: AsyncIterable<Uint8Array>, cycle = config) => encodeLeads(chunks, cycle);

describe("encodings and delimiters", () => {
  const text = [LEADS_HEADER, row("r1"), row("r2")].join("\r\n");

  it.each([
    ["UTF-8 with BOM", new Uint8Array(Buffer.from(`\uFEFF${text}`, "utf8")), "utf-8"],
    ["UTF-16 LE with BOM", new Uint8Array(Buffer.from(`\uFEFF${text}`, "utf16le")), "utf-16le"],
    ["UTF-16 BE with BOM", new Uint8Array(Buffer.from(`\uFEFF${text}`, "utf16le").swap16()), "utf-16be"],
  ])("reads %s", async (_name, bytes, encoding) => {
    // Split mid-character, so the decoder must carry bytes across chunks.
    const result = await encode(bytesOf(bytes.subarray(0, 5), bytes.subarray(5, 101), bytes.subarray(101)));
    expect(result).toMatchObject({ rows: 2, accepted: 2, facts: { encoding, delimiter: "," } });
  });

  it("reads Windows-1252 when the cycle declares it (curly quotes included)", async () => {
    const cycle = cycleConfigSchema.parse(
      testCycle("test-cycle", {
        groups: [
          { id: "leads", label: "Leads", delivered: 10, source: { encoding: "windows-1252" } },
          { id: "nqsws", label: "NQSWs", delivered: 10 },
        ],
      }),
    );
    const bytes = new Uint8Array(Buffer.from(`${LEADS_HEADER}\n${row("r1").replace("Agree", "Don?t know")}\n`, "latin1"));
    bytes[bytes.indexOf(0x3f)] = 0x92; // Windows-1252's right single quotation mark
    const result = await encode(bytesOf(bytes), cycle);
    expect(result).toMatchObject({ rows: 1, accepted: 1, facts: { encoding: "windows-1252" } });
  });

  it("refuses bytes that are not UTF-8, saying how to declare Windows-1252", async () => {
    const bytes = new Uint8Array(Buffer.from(`${LEADS_HEADER}\n${row("r1").replace("Agree", "Don?t know")}\n`, "latin1"));
    bytes[bytes.indexOf(0x3f)] = 0x92;
    await expect(encode(bytesOf(bytes))).rejects.toThrow(/byte 0x92 at byte offset \d+.*source.encoding: "windows-1252"/);
  });

  it.each([
    ["semicolons", ";"],
    ["tabs", "\t"],
  ])("detects %s", async (_name, delimiter) => {
    const semicolon = [LEADS_HEADER, row("r1")].map((line) => line.replaceAll(",", delimiter)).join("\n");
    expect(await encode(bytesOf(semicolon))).toMatchObject({ accepted: 1, facts: { delimiter } });
  });
});

describe("the CSV reader survives damage in linear time and bounded memory", () => {
  it("reads 100,000 empty header cells in under a second, and names what is missing", async () => {
    const header = `${",".repeat(100_000)}\n`;
    const started = performance.now();
    const error = await encode(bytesOf(header, "a,b\n")).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(FileRejectedError);
    expect((error as FileRejectedError).reason).toContain('missing required column(s) "response_id"');
  });

  it("reads a 100 MB file whose row 2 opens a quote that never closes, keeping every other row in bounded memory", async () => {
    const line = `${row("r")}\n`;
    const block = line.repeat(10_000);
    const blocks = Math.ceil((100 * 1024 * 1024) / block.length);
    async function* chunks() {
      yield new TextEncoder().encode(`${LEADS_HEADER}\nbad,2025-01-20T10:00:00Z,"Child and family only,Agree,Agree,,\n`);
      for (let i = 0; i < blocks; i++) yield new TextEncoder().encode(block.replaceAll("r,", `r${i}-,`));
    }
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const result = await encode(chunks());
    clearInterval(timer);
    expect(result.rows).toBe(blocks * 10_000 + 1);
    expect(result.problems[0]).toMatchObject({ row: 2, column: "(whole row)", expected: expect.stringContaining("never closed") });
    // Every row of a block has the same id: the first is accepted, the rest are duplicates.
    expect(result.accepted).toBe(blocks);
    expect(peak - rssBefore).toBeLessThan(300 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("costs linear time when every line opens a quote that never closes", () => {
    const lines = 20_000;
    const text = `a,b\n${'x,"unclosed\n'.repeat(lines)}`;
    const tokenizer = new CsvTokenizer({ delimiter: ",", maxFieldLength: 4096 });
    const started = performance.now();
    let problems = 0;
    for (let i = 0; i < text.length; i += 65_536) problems += tokenizer.push(text.slice(i, i + 65_536)).problems.length;
    problems += tokenizer.push("", true).problems.length;
    expect(problems).toBe(lines);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("makes a field over the limit a row problem and reads on", () => {
    const tokenizer = new CsvTokenizer({ delimiter: ",", maxFieldLength: 10 });
    const out = tokenizer.push("a,b\nshort,x\nthis field is too long,y\nok,z\n", true);
    expect(out.records).toEqual([["a", "b"], ["short", "x"], ["ok", "z"]]);
    expect(out.rows).toEqual([1, 2, 4]);
    expect(out.problems).toEqual([{ row: 3, message: "field 1 is longer than the limit of 10 characters" }]);
  });

  it("resumes at the next line after text that follows a closing quote", () => {
    const out = new CsvTokenizer({ delimiter: "," }).push('a,b\n"x"y,1\nc,d\n', true);
    expect(out.records).toEqual([["a", "b"], ["c", "d"]]);
    expect(out.problems).toEqual([{ row: 2, message: expect.stringContaining("text follows a closing quote") }]);
  });
});

describe("column names, labels and dates as tools write them", () => {
  it("joins two header rows, carrying the question over its blank cells and dropping placeholders", () => {
    const names = headerNames(
      [
        ["Respondent ID", "Q1 How useful?", "", "Q2 Area", "Q3 Challenges", ""],
        ["", "Website", "Forum", "Response", "Retaining", "Recruiting"],
      ],
      ["Response", "Open-Ended Response"],
    );
    expect(names).toEqual(["Respondent ID", "Q1 How useful? - Website", "Q1 How useful? - Forum", "Q2 Area", "Q3 Challenges - Retaining", "Q3 Challenges - Recruiting"]);
  });

  it("normalizes labels: NFKC, curly quotes and dashes, spaces, case", () => {
    expect(normalizeLabel("  Don\u2019t\u00a0KNOW ")).toBe("don't know");
    expect(normalizeLabel("Neither agree \u2013 nor\tdisagree")).toBe("neither agree - nor disagree");
    expect(normalizeLabel("\uff21gree")).toBe("agree");
  });

  it.each([
    ["2025-01-20T10:15:00Z", "dmy", [2025, 1, 20, 10, 15, 0]],
    ["2025-01-20 10:15:32", "dmy", [2025, 1, 20, 10, 15, 32]],
    ["20/01/2025 10:15", "dmy", [2025, 1, 20, 10, 15, 0]],
    ["1/20/2025 1:05:09 PM", "mdy", [2025, 1, 20, 13, 5, 9]],
    ["01/20/2025 12:05:09 AM", "mdy", [2025, 1, 20, 0, 5, 9]],
    ["2025/01/20 10:15:32 AM GMT", "dmy", [2025, 1, 20, 10, 15, 32]],
    ["45677.4270833333", "dmy", [2025, 1, 20, 10, 15, 0]],
  ] as const)("reads %s (%s)", (text, order, [year, month, day, hour, minute, second]) => {
    expect(parseDateTime(text, order)).toEqual({ year, month, day, hour, minute, second });
  });

  it.each([["01/20/2025 10:15", "dmy"], ["29/02/2025", "dmy"], ["13:00 PM", "mdy"], ["yesterday", "dmy"]] as const)("refuses %s (%s)", (text, order) => {
    expect(parseDateTime(text, order)).toBeUndefined();
  });
});

describe("header mismatches say what was found and what the file looks like", () => {
  it("names the nearest header for each missing column and the tool the header looks like", async () => {
    const surveyMonkey = "Respondent ID,Collector ID,Start Date,End Date,Impct,Clarity\n,,,,Response,Response\n1,2,3,4,Agree,Agree\n";
    const error = (await encode(bytesOf(surveyMonkey)).catch((e: unknown) => e)) as FileRejectedError;
    expect(error.reason).toContain('"Impact" (nearest: "Impct")');
    expect(error.reason).toContain('Headers found: "Respondent ID", "Collector ID"');
    expect(error.reason).toContain('looks like a SurveyMonkey export: set "source": { "tool": "surveymonkey" }');
  });
});

describe("the cycle file is strict", () => {
  it("refuses unknown keys and a column used twice within a group, with their paths", () => {
    const cycle = testCycle("strict", { colour: "blue" });
    cycle.questionnaire.items[1]!.columns.leads = "impact ";
    expect(() => parseCycleConfig(JSON.stringify(cycle), "strict.json")).toThrow(/\(top level\): Unrecognized key: "colour"/);
    const twice = testCycle("strict");
    twice.questionnaire.items[1]!.columns.leads = "impact ";
    expect(() => parseCycleConfig(JSON.stringify(twice), "strict.json")).toThrow(
      'questionnaire.items[1].columns.leads: column "impact " of group "leads" is already used at questionnaire.items[0].columns.leads',
    );
  });

  it("refuses an unknown tool and a code for a label the scale lacks", () => {
    const cycle = testCycle("strict", {
      groups: [
        { id: "leads", label: "Leads", delivered: 10, source: { tool: "typeform" } },
        { id: "nqsws", label: "NQSWs", delivered: 10 },
      ],
    });
    (cycle.questionnaire.scales[0] as Record<string, unknown>).codes = { "9": "Agree strongly" };
    expect(() => parseCycleConfig(JSON.stringify(cycle), "strict.json")).toThrow(/groups\[0\]\.source\.tool: Invalid option.*\n?.*questionnaire\.scales\[0\]\.codes\.9: "Agree strongly" is not one of the scale's categories/s);
  });
});
