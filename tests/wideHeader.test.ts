import { describe, expect, it } from "vitest";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { checkExport } from "../lib/survey/ingest/checkExport.ts";
import { seededRandom } from "../scripts/seededRandom.ts";
import { readBytes, readText } from "./support/readAllTokens.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Issue 20, item 7: a header's cost is linear in its length. These files took minutes (a
// record cut by the end of a read was read again from its start on every read after).
const config = cycleConfigSchema.parse(testCycle());
const file = "uploads/test-cycle/leads/wide.csv";
const EMPTY_CELLS = 1_000_000;
const row = (id: string) => `${id},2025-01-20T10:00:00Z,Child and family only,Agree,Strongly agree,Yes,`;

/** The bytes in pieces of `size`, as a stream from S3 or a file brings them. */
async function* piecesOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("an export whose header has a million empty cells", () => {
  it("is read by check, through the reader, layout and validation ingest uses, and its responses accepted (UTF-8)", async () => {
    // Prepare: every line as wide as the header, as a spreadsheet saves it.
    const padding = ",".repeat(EMPTY_CELLS);
    const text = [LEADS_HEADER, row("r1"), row("r2"), row("r3")].map((line) => `${line}${padding}\n`).join("");

    // Act
    const checked = await checkExport(piecesOf(Buffer.from(text), 1 << 16), config, "leads", file, 1);

    // Assess
    expect(checked.refused).toBeUndefined();
    expect(checked.counts).toMatchObject({ rows: 3, accepted: 3, rejected: 0, duplicates: 0 });
    expect(checked.mapping.find((field) => field.field === "impact")).toMatchObject({ header: "Impact", column: 4 });
  });

  it("is read when every cell is quoted (records read field by field, taken up where each read stopped)", async () => {
    const padding = ',""'.repeat(EMPTY_CELLS);
    const quoted = (line: string) => line.split(",").map((cell) => `"${cell}"`).join(",");
    const text = [LEADS_HEADER, row("r1"), row("r2")].map((line) => `${quoted(line)}${padding}\r\n`).join("");

    const checked = await checkExport(piecesOf(Buffer.from(text), 1 << 14), config, "leads", file, 1);

    expect(checked.refused).toBeUndefined();
    expect(checked.counts).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
  });

  it("is read in UTF-16 (the text reader)", async () => {
    const padding = "\t".repeat(EMPTY_CELLS);
    const text = [LEADS_HEADER, row("r1"), row("r2")].map((line) => `${line.replaceAll(",", "\t")}${padding}\r\n`).join("");

    const checked = await checkExport(piecesOf(Buffer.from(`\uFEFF${text}`, "utf16le"), 1 << 16), config, "leads", file, 1);

    expect(checked).toMatchObject({ encoding: "utf-16le", delimiter: "\t", counts: { rows: 2, accepted: 2, rejected: 0 } });
  });

  it("is refused, naming the limit, when its first line is longer than a row may be (5 million empty cells)", async () => {
    const text = `${LEADS_HEADER}${",".repeat(5 * EMPTY_CELLS)}\n${row("r1")}\n`;

    const checking = checkExport(piecesOf(Buffer.from(text), 1 << 16), config, "leads", file);

    await expect(checking).rejects.toThrow(/the header \(row 1\) could not be read: the row is longer than the limit of 4,194,304 bytes/);
  });
});

/** A file of wide records, mostly empty and plain cells, with now and then a quote, a line end or damage. */
function wideFile(random: () => number): string {
  const rare = ['"', '""', '"a,b"', "\n", "\r", "\r\n", 'x"y', '"a"b', "é", "日"];
  const plain = ["", "", "", "a", "Agree", ","];
  let text = "";
  for (let k = Math.floor(random() * 600); k > 0; k--) {
    text += random() < 0.03 ? rare[Math.floor(random() * rare.length)] : plain[Math.floor(random() * plain.length)];
    text += ",";
  }
  return text;
}

/** Cuts at random points, into pieces of 1 to `most` units. */
function cut<T extends string | Uint8Array>(whole: T, most: number, random: () => number): T[] {
  const pieces: T[] = [];
  for (let at = 0; at < whole.length; ) {
    const size = 1 + Math.floor(random() * most);
    pieces.push(whole.slice(at, at + size) as T);
    at += size;
  }
  return pieces;
}

describe("a record that takes many reads", () => {
  it("reads as it does in one piece, in both readers, for 2,000 random files of wide records cut into pieces of a few bytes", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const random = seededRandom(70_000 + seed);
      const text = wideFile(random);
      const bytes = new TextEncoder().encode(text);

      const whole = readBytes([bytes]);

      expect(readBytes(cut(bytes, random() < 0.5 ? 3 : 40, random)), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(whole);
      expect(readText(cut(text, random() < 0.5 ? 3 : 40, random)), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(whole);
      expect(readText([text]), `seed ${seed}`).toEqual(whole);
    }
  });
});
