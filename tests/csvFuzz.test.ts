import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { InvalidUtf8Error } from "../lib/csv/byteCsvTokenizer.ts";
import { seededRandom } from "../scripts/seededRandom.ts";
import { readBytes, readText } from "./support/readAllTokens.ts";

/** Cell values chosen to hurt: quotes, delimiters, every line end, multi-byte characters, blanks. */
const AWKWARD = ["", "", "a", "Agree", "Don't know", "é", "日本語", "😀x", "a,b", "a;b", "a\tb", 'say "hi"', '"', '""', "x\ny", "x\r\ny", "x\ry", " spaced ", "ß,ü", "€100", "a\n", "\r"];
const DELIMITERS = [",", ";", "\t"];
const NEWLINES = ["\n", "\r\n", "\r"] as const;

/** One field as a careful writer quotes it: when it must, and now and then when it need not. */
function quoted(value: string, delimiter: string, random: () => number): string {
  const must = value.includes('"') || value.includes(delimiter) || value.includes("\n") || value.includes("\r");
  return must || random() < 0.1 ? `"${value.replaceAll('"', '""')}"` : value;
}

function randomValue(random: () => number): string {
  if (random() < 0.7) return AWKWARD[Math.floor(random() * AWKWARD.length)]!;
  const letters = "abcXYZ019 -_éü日😀";
  return Array.from({ length: Math.floor(random() * 8) }, () => [...letters][Math.floor(random() * [...letters].length)]).join("");
}

/** A well-formed delimited text: random width, rows, line end, BOM, trailing newline and trailing delimiter. */
function randomFile(random: () => number): { text: string; delimiter: string; newline: (typeof NEWLINES)[number] } {
  const delimiter = DELIMITERS[Math.floor(random() * DELIMITERS.length)]!;
  const newline = NEWLINES[Math.floor(random() * NEWLINES.length)]!;
  const width = 1 + Math.floor(random() * 6);
  const trailingDelimiter = random() < 0.15;
  const lines = Array.from({ length: Math.floor(random() * 25) }, () => {
    const cells = Array.from({ length: width }, () => quoted(randomValue(random), delimiter, random));
    return cells.join(delimiter) + (trailingDelimiter ? delimiter : "");
  });
  const body = lines.join(newline) + (random() < 0.7 ? newline : "");
  return { text: body, delimiter, newline };
}

/** Splits bytes at random points: inside quotes, characters and CRLFs. */
function chunksOf(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * (random() < 0.5 ? 8 : 300));
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

describe("the byte-level CSV reader, differentially", () => {
  it("gives papaparse's records for 3,000 random well-formed files, split anywhere", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const random = seededRandom(seed);
      const { text, delimiter, newline } = randomFile(random);
      const expected = Papa.parse<string[]>(text, { delimiter, newline, quoteChar: '"', skipEmptyLines: true }).data;
      const bytes = new TextEncoder().encode(text);
      const got = readBytes(chunksOf(bytes, random), delimiter);
      expect(got.problems, `seed ${seed}`).toEqual([]);
      expect(got.records, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(expected);
    }
  });

  it("gives CsvTokenizer's records, row numbers and problems for 3,000 damaged files (stray and unclosed quotes, text after quotes, mixed line ends)", () => {
    const damage = ['"', 'x"y', '"a"b', '"open', "\r", "\n", "\r\n", ",", '""', 'end"'];
    for (let seed = 1; seed <= 3000; seed++) {
      const random = seededRandom(10_000 + seed);
      const { text, delimiter } = randomFile(random);
      const chars = [...text];
      for (let k = Math.floor(random() * 4); k > 0; k--) chars.splice(Math.floor(random() * (chars.length + 1)), 0, damage[Math.floor(random() * damage.length)]!);
      const damaged = chars.join("");
      const bytes = new TextEncoder().encode(damaged);
      const byPieces: string[] = [];
      for (let at = 0; at < damaged.length; ) {
        const size = 1 + Math.floor(random() * 50);
        byPieces.push(damaged.slice(at, at + size));
        at += size;
      }
      expect(readBytes(chunksOf(bytes, random), delimiter), `seed ${seed}: ${JSON.stringify(damaged)}`).toEqual(readText(byPieces, delimiter));
    }
  });

  it("resumes after a damaged record at the next line, not where the damaged record's searches had got to", () => {
    // Found by the test above: CsvTokenizer kept its line-end and delimiter positions from the failed record.
    const text = ';"x\ny\n";A;"a\nx"y"\n';
    const expected = { records: [["y"], ['x"y"']], rows: [2, 4], problems: [1, 3].map((row) => ({ row, message: "text follows a closing quote (a quote inside a quoted field is not doubled, or a quote is never closed)" })) };
    expect(readText([text], ";")).toEqual(expected);
    expect(readBytes([new TextEncoder().encode(text)], ";")).toEqual(expected);
  });

  it("finds the first byte that is not UTF-8 in 1,000 random files, wherever the chunks cut, quoted or not, on a skipped line or not", () => {
    const bad = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0x80], [0xf0, 0x9f, 0x98]];
    for (let seed = 1; seed <= 1000; seed++) {
      const random = seededRandom(50_000 + seed);
      const { text, delimiter } = randomFile(random);
      const bytes = [...new TextEncoder().encode(`${text}x${delimiter}y\n`)];
      // Between two characters, never inside one.
      const boundaries = bytes.map((byte, i) => ((byte & 0xc0) !== 0x80 ? i : -1)).filter((i) => i >= 0);
      const at = boundaries[Math.floor(random() * boundaries.length)]!;
      const inserted = bad[Math.floor(random() * bad.length)]!;
      bytes.splice(at, 0, ...inserted);
      const damaged = new Uint8Array(bytes);
      expect(() => readBytes(chunksOf(damaged, random), delimiter), `seed ${seed}`).toThrow(expect.objectContaining({ name: "InvalidUtf8Error", offset: at }) as unknown as Error);
    }
  });

  it("refuses bytes that are not UTF-8, naming their offset, wherever the chunks are cut", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a,b\nc,d"), 0xc3, 0x28, 0x0a]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(() => readBytes([bytes.subarray(0, cut), bytes.subarray(cut)], ","), `cut at ${cut}`).toThrow(InvalidUtf8Error);
    }
    try {
      readBytes([bytes], ",");
    } catch (error) {
      expect(error).toMatchObject({ offset: 7, byte: 0xc3 });
    }
  });
});
