import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { CsvTokenizer } from "../lib/csv/csvTokenizer.ts";
import type { RecordBatch } from "../lib/csv/recordBatch.ts";
import { Utf8Repair } from "../lib/csv/utf8.ts";
import type { RejectionReport } from "../lib/ingest/rejectionReport.ts";
import { textEncodingOf, WINDOWS_1252_HIGH } from "../lib/sources/decodeText.ts";
import { readSepLine } from "../lib/sources/detectDelimiter.ts";
import { readExport } from "../lib/sources/exportRows.ts";
import { gunzipExport, MAX_DECOMPRESSED_BYTES } from "../lib/sources/gunzipExport.ts";
import { resolveSource } from "../lib/sources/resolveSource.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { saveCycleConfig } from "../lib/survey/config/surveyCycleStore.ts";
import { checkExport } from "../lib/survey/ingest/checkExport.ts";
import { describeExportCheck } from "../lib/survey/ingest/describeExportCheck.ts";
import { bytesOf, encodeLeads } from "./support/encodeLeads.ts";
import { useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Exports as people really send them: Excel's `sep=` line, Excel's "Unicode Text" (UTF-16 LE,
// tab-delimited, here without a byte-order mark), a gzipped download, and a stray Windows-1252
// byte. First through encodeExport (the reader and validation ingest uses), then as uploads
// through their S3 events, shaped from the example exports of examples/exports-by-tool.

const config = cycleConfigSchema.parse(testCycle());
const row = (id: string, impact = "Agree") => `${id},2025-01-20T10:00:00Z,Child and family only,${impact},Strongly agree,Yes,`;

/** Reads an export for the test cycle's leads as ingest does. */
const encode = (chunks: AsyncIterable<Uint8Array>, cycle = config) => encodeLeads(chunks, cycle);

/** Text as Windows-1252 bytes (`’` is 0x92, `é` 0xE9), as Excel on Windows saves a CSV. */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => {
    const high = WINDOWS_1252_HIGH.indexOf(character);
    if (high >= 0) return 0x80 + high;
    if (character.charCodeAt(0) > 0xff) throw new Error(`${character} is not in Windows-1252`);
    return character.charCodeAt(0);
  });
}

/** The test cycle's leads with one more column, a comment the cycle does not read. */
const COMMENT_HEADER = `${LEADS_HEADER},Comment`;

describe("UTF-16 without a byte-order mark", () => {
  const text = [LEADS_HEADER, row("r1"), row("r2")].join("\r\n");

  it.each([
    ["LE, tab-delimited (Excel's Unicode Text)", new Uint8Array(Buffer.from(text.replaceAll(",", "\t"), "utf16le")), "utf-16le", "\t"],
    ["BE, comma-delimited", new Uint8Array(Buffer.from(text, "utf16le").swap16()), "utf-16be", ","],
  ])("is read from its zero bytes: %s", async (_name, bytes, encoding, delimiter) => {
    // Split mid-character and before the first 4 KB, so the decoder waits for enough to judge.
    const result = await encode(bytesOf(bytes.subarray(0, 5), bytes.subarray(5, 101), bytes.subarray(101)));
    expect(result).toMatchObject({ rows: 2, accepted: 2, facts: { encoding, delimiter } });
  });

  it("wins over a declared 8-bit encoding, while 8-bit text with a stray NUL stays 8-bit", () => {
    expect(textEncodingOf(Buffer.from("id\tQ1\r\n1\tAgree\r\n", "utf16le"), "windows-1252")).toBe("utf-16le");
    expect(textEncodingOf(Buffer.from("id,Q1\r\n1,Ag\0ree\r\n"), "auto")).toBe("utf-8");
    expect(textEncodingOf(Buffer.from("id,Q1\r\n"), "windows-1252")).toBe("windows-1252");
  });
});

describe("a file that does not read as text in its encoding", () => {
  it("is refused, when the header does not fit, naming the encoding read and the setting", async () => {
    const utf16 = cycleConfigSchema.parse(
      testCycle("test-cycle", {
        groups: [
          { id: "leads", label: "Leads", delivered: 10, source: { encoding: "utf-16le" } },
          { id: "nqsws", label: "NQSWs", delivered: 10 },
        ],
      }),
    );
    await expect(encode(bytesOf(`${LEADS_HEADER}\r\n${row("r1")}\r\n`), utf16)).rejects.toThrow(/missing required column.*The header does not read as UTF-16LE text.*"encoding"/s);
    const misdecoded = windows1252(`${LEADS_HEADER.replace("Impact", "Impäct")}\r\n${row("r1")}\r\n`);
    await expect(encode(bytesOf(misdecoded))).rejects.toThrow(/nearest: "Imp\uFFFDct".*The header does not read as UTF-8 text.*"encoding"/s);
  });

  it("is refused when at least half its rows hold bytes that are not UTF-8, naming the first and how to declare Windows-1252", async () => {
    const bytes = windows1252([LEADS_HEADER, row("r1", "Don’t know"), row("r2", "Don’t know"), row("r3")].join("\n"));
    await expect(encode(bytesOf(bytes))).rejects.toThrow(/2 of 3 rows hold bytes that are not valid UTF-8 text: not UTF-8 text \(byte 0x92 at byte offset \d+\).*source.encoding: "windows-1252"/);
  });
});

describe("a byte that is not valid in the file's encoding costs its cell, not the file", () => {
  const goodRows = Array.from({ length: 8 }, (_, i) => row(`g${i}`));

  it("in a column the cycle reads: that row is a problem naming its row and column, the others are kept", async () => {
    // Split inside the bad row, so the repair of the bytes carries across pushes.
    const bytes = windows1252([LEADS_HEADER, row("r1"), row("r2", "Don’t know"), ...goodRows, ""].join("\r\n"));
    const result = await encode(bytesOf(bytes.subarray(0, 170), bytes.subarray(170)));
    expect(result).toMatchObject({ rows: 10, accepted: 9 });
    expect(result.problems).toHaveLength(1);
    const problem = result.problems[0]!;
    expect(problem.row).toBe(3);
    expect(problem).toMatchObject({ column: "Impact", expected: expect.stringMatching(/^text in UTF-8, but the cell in "Impact" holds bytes that are not valid UTF-8/) });
    expect(problem.value).toContain("\uFFFD");
  });

  it("in a column the cycle does not read: every row is kept, and the file carries a warning naming the column, row and byte", async () => {
    const lines = [COMMENT_HEADER, `${row("r1")},fine`, `${row("r2")},O’Brien said so`, ...goodRows.map((line) => `${line},`), ""];
    const result = await encode(bytesOf(windows1252(lines.join("\r\n"))));
    expect(result).toMatchObject({ rows: 10, accepted: 10, problems: [] });
    expect(result.facts.warnings?.join("\n")).toMatch(/1 cell\(s\) of "Comment" \(column 8\), a column the cycle does not read,.*not valid UTF-8.*row 3.*0x92 at byte offset \d+.*"windows-1252"/s);
  });

  it("in the header of a column the cycle does not read: a warning naming the column as read", async () => {
    const lines = [`${LEADS_HEADER},Comment – other`, `${row("r1")},`, `${row("r2")},`, ""];
    const result = await encode(bytesOf(windows1252(lines.join("\r\n"))));
    expect(result).toMatchObject({ rows: 2, accepted: 2, problems: [] });
    expect(result.facts.warnings?.[0]).toBe('the header of column 8 holds bytes that are not valid UTF-8 text, read as "Comment \uFFFD other"');
  });

  it("is shown by asye check as a warning, with the file read as gzipped", async () => {
    const lines = [COMMENT_HEADER, `${row("r1")},O’Brien said so`, ""];
    const checked = await checkExport(bytesOf(gzipSync(windows1252(lines.join("\r\n")))), config, "leads", "x.csv.gz");
    const printed = describeExportCheck(checked);
    expect(printed).toContain('  read as:    csv export, gzipped delimited text, utf-8, delimiter ","');
    expect(printed.find((line) => line.startsWith("  warning: "))).toMatch(/"Comment" \(column 8\), a column the cycle does not read/);
  });

  it("is told apart by the columns the caller reads: a problem there, a warning elsewhere", async () => {
    const text = windows1252([COMMENT_HEADER, `${row("r1", "Agrée")},`, `${row("r2")},café au lait`, `${row("r3")},`, ""].join("\n"));
    const problems: RecordBatch["problems"] = [];
    const rows: number[] = [];
    const facts = await readExport(bytesOf(text), "x.csv", resolveSource(undefined), {
      header: () => undefined,
      readsColumn: (column) => column < 7,
      responses: (batch) => {
        problems.push(...batch.problems);
        for (let i = batch.first; i < batch.length; i++) rows.push(batch.rows[i]!);
        return undefined;
      },
    });
    expect(rows).toEqual([3, 4]);
    expect(problems).toEqual([expect.objectContaining({ row: 2, column: "Impact", value: "Agr\uFFFDe", message: expect.stringMatching(/cell in "Impact" holds bytes that are not valid UTF-8.*0xE9/) })]);
    expect(facts.warnings?.[0]).toMatch(/1 cell\(s\) of "Comment" \(column 8\), a column the cycle does not read,.*row 3/);
  });

  it("repairs bytes as a lenient decoder reads them, wherever the pieces are cut, noting the first", () => {
    const bytes = Buffer.concat([Buffer.from("a,é,"), Buffer.from([0xe9, 0x92]), Buffer.from(",😀,"), Buffer.from([0xf0, 0x9f])]);
    const expected = bytes.toString("utf8");
    for (let cut = 0; cut <= bytes.length; cut++) {
      const repair = new Utf8Repair();
      const out = Buffer.concat([repair.push(bytes.subarray(0, cut), false), repair.push(bytes.subarray(cut), true)]);
      expect(out.toString("utf8"), `cut at ${cut}`).toBe(expected);
      expect(repair.first).toEqual({ byte: 0xe9, offset: 5 });
    }
  });
});

describe("Excel's sep= line", () => {
  it.each([
    ["sep=;", ";"],
    ['"sep=,"', ","],
    ["sep=\t\t\t", "\t"],
  ])("%j declares the delimiter and is skipped: the header is still row 1", async (line, delimiter) => {
    const text = [line, LEADS_HEADER, row("r1"), row("r2", "Agree strongly")].map((l) => (l === line ? l : l.replaceAll(",", delimiter))).join("\r\n");
    const result = await encode(bytesOf(text.slice(0, 3), text.slice(3)));
    expect(result).toMatchObject({ rows: 2, accepted: 1, facts: { delimiter, delimiterDeclared: true } });
    expect(result.problems).toEqual([expect.objectContaining({ row: 3, column: "Impact", value: "Agree strongly" })]);
  });

  it("wins over a declared delimiter, in UTF-16 too", async () => {
    const semicolons = cycleConfigSchema.parse(
      testCycle("test-cycle", {
        groups: [
          { id: "leads", label: "Leads", delivered: 10, source: { delimiter: ";" } },
          { id: "nqsws", label: "NQSWs", delivered: 10 },
        ],
      }),
    );
    const text = ["sep=\t", LEADS_HEADER.replaceAll(",", "\t"), row("r1").replaceAll(",", "\t")].join("\r\n");
    expect(await encode(bytesOf(Buffer.from(`\uFEFF${text}`, "utf16le")), semicolons)).toMatchObject({ accepted: 1, facts: { encoding: "utf-16le", delimiter: "\t" } });
  });

  it("is refused when it names a delimiter exports are not read with", async () => {
    await expect(encode(bytesOf(`sep=|\r\n${LEADS_HEADER}\r\n`))).rejects.toThrow(/sep=\|, declares the delimiter "\|"/);
  });

  it("is only a line of its own: sep=, followed by anything but delimiters is not one", () => {
    expect(readSepLine("sep=,\n", false)).toEqual({ delimiter: ",", length: 6 });
    expect(readSepLine("sep=,,,\r", false)).toBeUndefined();
    expect(readSepLine("sep=,,,\r\n", false)).toEqual({ delimiter: ",", length: 9 });
    expect(readSepLine("se", false)).toBeUndefined();
    expect(readSepLine("sep=,x\n", false)).toBeNull();
    expect(readSepLine("response_id,sep\n", false)).toBeNull();
  });
});

describe("a gzipped export", () => {
  const text = [LEADS_HEADER, row("r1"), row("r2")].join("\r\n");

  it("is read as it streams, its size and checksum those of the bytes uploaded", async () => {
    const gzipped = gzipSync(text);
    const result = await encode(bytesOf(gzipped.subarray(0, 1), gzipped.subarray(1, 20), gzipped.subarray(20)));
    expect(result).toMatchObject({ rows: 2, accepted: 2, facts: { compression: "gzip", encoding: "utf-8", delimiter: ",", bytes: gzipped.length } });
  });

  it("holding UTF-16 without a byte-order mark, or a workbook's bytes, is read as those", async () => {
    const result = await encode(bytesOf(gzipSync(Buffer.from(text.replaceAll(",", "\t"), "utf16le"))));
    expect(result).toMatchObject({ accepted: 2, facts: { compression: "gzip", encoding: "utf-16le", delimiter: "\t" } });
  });

  it("is refused when cut short or damaged", async () => {
    await expect(encode(bytesOf(gzipSync(text).subarray(0, 40)))).rejects.toThrow(/not a readable gzip file \(unexpected end of file\)/);
  });

  it("is refused once it inflates past the limit (a gzip bomb), never held whole", async () => {
    // 40 gzip members of 64 MiB of zeros each: 2.5 GiB from 2.6 MB.
    const member = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    let inflated = 0;
    const read = (async () => {
      for await (const piece of gunzipExport(bytesOf(...Array.from({ length: 40 }, () => member)), "bomb.csv.gz")) inflated += piece.length;
    })();
    await expect(read).rejects.toThrow(/decompresses to more than 2 GiB.*gzip bomb/);
    expect(inflated).toBe(MAX_DECOMPRESSED_BYTES);
    expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3);
  });
});

describe("real exports, uploaded through their S3 events", () => {
  const runtime = useLocalRuntime({ routeEvents: "uploads" });
  const FOLDER = "examples/exports-by-tool";
  const SMARTSURVEY = "asye-cf-2025-smartsurvey";
  const GOOGLE_FORMS = "asye-cf-2025-googleforms";
  /** SmartSurvey's leads export as downloaded (UTF-8 with a byte-order mark), without the mark. */
  const smartsurvey = readFileSync(`${FOLDER}/smartsurvey/leads.csv`, "utf8").replace(/^\uFEFF/, "");

  beforeAll(async () => {
    for (const tool of ["smartsurvey", "googleforms"]) await saveCycleConfig(runtime().store, readFileSync(`${FOLDER}/${tool}/cycle.json`, "utf8"), `${tool}/cycle.json`);
  });

  /** Uploads an export for the leads, returning its ledger record, rejection report and normalized rows (without the batch's header line). */
  async function upload(cycleId: string, file: string, body: string | Uint8Array) {
    const key = storageKeys.upload(cycleId, "leads", file);
    await runtime().store.put(key, body, "text/csv");
    await runtime().idle();
    const record = (await runtime().ledger.records(key)).at(-1)!;
    const report = record.rejectionReportKey === undefined ? undefined : (JSON.parse((await runtime().store.getText(record.rejectionReportKey))!) as RejectionReport);
    return { record, report, rows: record.normalizedKey === undefined ? undefined : await normalizedRows(record.normalizedKey) };
  }

  async function normalizedRows(key: string): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    for await (const part of (await runtime().store.getStream(key)).body) parts.push(part);
    const batch = Buffer.concat(parts);
    return batch.subarray(batch.indexOf(0x0a) + 1);
  }

  it("SmartSurvey's CSV as Excel saves it, with a sep=, line, gives the rows of the export as downloaded", async () => {
    const downloaded = await upload(SMARTSURVEY, "leads.csv", smartsurvey);
    const excel = await upload(SMARTSURVEY, "leads-excel.csv", `sep=,\r\n${smartsurvey}`);
    expect(excel.record.status).toBe("accepted");
    expect(excel.record.counts).toEqual({ rows: 52, accepted: 52, rejected: 0, duplicates: 0 });
    expect(excel.rows!.equals(downloaded.rows!)).toBe(true);
  });

  it("the same export as Excel's Unicode Text (UTF-16 LE, tab-delimited, no byte-order mark) gives the same rows", async () => {
    const downloaded = await upload(SMARTSURVEY, "leads.csv", smartsurvey);
    const unicodeText = await upload(SMARTSURVEY, "leads.txt", Buffer.from(asUnicodeText(smartsurvey), "utf16le"));
    expect(unicodeText.record.status).toBe("accepted");
    expect(unicodeText.record.counts).toEqual({ rows: 52, accepted: 52, rejected: 0, duplicates: 0 });
    expect(unicodeText.rows!.equals(downloaded.rows!)).toBe(true);
  });

  it("a gzipped Google Forms CSV (.csv.gz) gives the rows of the CSV", async () => {
    const csv = readFileSync(`${FOLDER}/googleforms/leads.csv`);
    const plain = await upload(GOOGLE_FORMS, "leads.csv", csv);
    const gzipped = await upload(GOOGLE_FORMS, "leads.csv.gz", gzipSync(csv));
    expect(gzipped.record).toMatchObject({ status: "accepted", counts: { rows: 52, accepted: 52, rejected: 0, duplicates: 0 } });
    expect(gzipped.rows!.equals(plain.rows!)).toBe(true);
  });

  it("one Windows-1252 name at row 2,001 of 2,011, in a column the cycle does not use, refuses nothing", async () => {
    const { record, report } = await upload(SMARTSURVEY, "leads-2011.csv", windows1252(repeatedRows(smartsurvey, 2_011, { row: 2_001, column: 1, value: "Siobhán O’Brien" })));
    expect(record).toMatchObject({ status: "accepted", counts: { rows: 2_011, accepted: 2_011, rejected: 0, duplicates: 0 } });
    expect(report!.problems).toEqual([]);
    expect(report!.source!.warnings![0]).toBe('1 cell(s) of "Name" (column 2), a column the cycle does not read, hold bytes that are not valid UTF-8 text, read as "\uFFFD" (first in row 2001)');
  });

  it("the same byte in a column the cycle uses costs that row only, named by row and column", async () => {
    const column = "Which services does your ASYE programme cover?";
    const { record, report } = await upload(SMARTSURVEY, "leads-2011-used.csv", windows1252(repeatedRows(smartsurvey, 2_011, { row: 2_001, column: 7, value: "Child and family\u00a0only" })));
    expect(record).toMatchObject({ status: "accepted", counts: { rows: 2_011, accepted: 2_010, rejected: 1, duplicates: 0 } });
    expect(report!.problems).toHaveLength(1);
    expect(report!.problems[0]).toMatchObject({ row: 2_001, column, value: "Child and family\uFFFDonly", expected: expect.stringMatching(/not valid UTF-8.*0xA0 at byte offset \d+.*"windows-1252"/) });
  });
});

/** CSV text as Excel's "Unicode Text" writes it: tab-delimited, CRLF, quoted only where a cell needs it. */
function asUnicodeText(csv: string): string {
  const { records } = new CsvTokenizer({ delimiter: "," }).push(csv, true);
  const cell = (value: string) => (/[\t"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return `${records.map((record) => record.map(cell).join("\t")).join("\r\n")}\r\n`;
}

/**
 * A SmartSurvey export (two header rows) with `count` responses, cycling through its own with
 * new UserNo ids, and `change.value` put in one cell (its row counted from 1 for the header).
 */
function repeatedRows(csv: string, count: number, change: { row: number; column: number; value: string }): string {
  const { records } = new CsvTokenizer({ delimiter: "," }).push(csv, true);
  const [header, subHeader, ...responses] = records;
  const rows = Array.from({ length: count }, (_, i) => {
    const cells = [String(30_000_000 + i), ...responses[i % responses.length]!.slice(1)];
    if (i + 3 === change.row) cells[change.column] = change.value;
    return cells;
  });
  const cell = (value: string) => (/[,"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return `${[header!, subHeader!, ...rows].map((record) => record.map(cell).join(",")).join("\r\n")}\r\n`;
}
