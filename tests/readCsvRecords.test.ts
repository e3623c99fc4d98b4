import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "../lib/csv/readCsvRecords.ts";
import { FileRejectedError } from "../lib/errors.ts";
import { csvLine } from "../scripts/csvLine.ts";
import { seededRandom } from "../scripts/seededRandom.ts";

const pieces = ["Agree", "Don't know", "a,b", 'say "hi"', "line\nbreak", "crlf\r\ninside", "é ü 日本", "", " spaced "];

/** A CSV text of random awkward fields, with the given line end. */
function awkwardCsv(random: () => number, rows: number, newline: string): string {
  const lines = Array.from({ length: rows }, () =>
    csvLine(Array.from({ length: 4 }, () => pieces[Math.floor(random() * pieces.length)]!)),
  );
  return `\uFEFF${lines.join(newline)}${newline}`;
}

/** Splits bytes at random points (mid-quote, mid-character and mid-CRLF included). */
function* randomChunks(bytes: Uint8Array, random: () => number): Generator<Uint8Array> {
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(random() * 40);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function readAll(chunks: Iterable<Uint8Array>): Promise<string[][]> {
  const records: string[][] = [];
  await readCsvRecords(
    (async function* () {
      yield* chunks;
    })(),
    "test.csv",
    (batch) => {
      records.push(...batch);
      return undefined;
    },
  );
  return records;
}

describe("reading CSV in chunks", () => {
  it.each(["\n", "\r\n"])("gives the records papaparse gives for the whole text, however it is split (line end %j)", async (newline) => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const text = awkwardCsv(random, 1 + Math.floor(random() * 30), newline);
      const expected = Papa.parse<string[]>(text.slice(1), { delimiter: ",", newline: newline as "\n", skipEmptyLines: true }).data;
      const bytes = new TextEncoder().encode(text);
      expect(await readAll(randomChunks(bytes, random)), `seed ${seed}`).toEqual(expected);
    }
  });

  it("rejects bytes that are not UTF-8 wherever they fall", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a,b\nc,"), 0xc3, 0x28, 0x0a]);
    await expect(readAll([bytes.subarray(0, 5), bytes.subarray(5)])).rejects.toThrow(FileRejectedError);
  });
});
