import { describe, expect, it } from "vitest";
import { tallyBatch } from "../lib/survey/compute/tallyBatch.ts";
import type { BatchHeader } from "../lib/survey/ingest/batchFormat.ts";
import { seededRandom } from "../scripts/seededRandom.ts";

/** Items of every size the tally treats differently: paired (under 16 codes, an odd number of them) and alone (16 codes or more). */
const SIZES = [2, 5, 6, 15, 16, 40, 6, 3];

function header(): BatchHeader {
  const items = SIZES.map((size, i) => ({ id: `item-${i}`, offset: 1 + i, categories: Array.from({ length: size }, (_, k) => `c${k}`) }));
  return {
    format: "asye-normalized-v1",
    cycleId: "c",
    group: "g",
    uploadKey: "k",
    rowWidth: 1 + SIZES.length + 2 + 2,
    items,
    subgroupVariables: [
      { id: "ethnicity", offset: 1 + SIZES.length, subgroups: ["white", "minoritised"] },
      { id: "sex", offset: 2 + SIZES.length, subgroups: ["female", "male", "other"] },
    ],
    multiSelect: [{ id: "challenges", offset: 3 + SIZES.length, options: Array.from({ length: 11 }, (_, k) => `o${k}`) }],
  };
}

describe("the tally of a normalized batch", () => {
  it("gives the counts a row-by-row count gives, whatever the chunks (5,000 random rows)", async () => {
    const random = seededRandom(3);
    const head = header();
    const rows = Array.from({ length: 5_000 }, () => {
      const row = new Uint8Array(head.rowWidth);
      row[0] = 1 + Math.floor(random() * 2);
      SIZES.forEach((size, i) => (row[1 + i] = Math.floor(random() * (size + 1))));
      row[1 + SIZES.length] = Math.floor(random() * 3);
      row[2 + SIZES.length] = Math.floor(random() * 4);
      row[3 + SIZES.length] = Math.floor(random() * 256);
      row[4 + SIZES.length] = Math.floor(random() * 8);
      return row;
    });
    const bytes = Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), ...rows]);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(random() * 700);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const tally = await tallyBatch((async function* () { yield* chunks; })(), "test");

    const count = (filter: (row: Uint8Array) => boolean, i: number) => {
      const counts = new Array<number>(SIZES[i]! + 1).fill(0);
      for (const row of rows) if (filter(row)) counts[row[1 + i]!]!++;
      return counts;
    };
    expect(tally.childAndFamilyOnly).toBe(rows.filter((row) => row[0] === 1).length);
    SIZES.forEach((_, i) => expect(tally.items.get(`item-${i}`)!.counts, `item ${i}`).toEqual(count(() => true, i)));
    for (const [v, variable] of head.subgroupVariables.entries()) {
      variable.subgroups.forEach((subgroup, s) => {
        const inSubgroup = (row: Uint8Array) => row[variable.offset] === s + 1;
        const found = tally.subgroups.find((entry) => entry.variable === variable.id && entry.subgroup === subgroup)!;
        expect(found.respondents).toBe(rows.filter(inSubgroup).length);
        SIZES.forEach((_, i) => expect(found.items.get(`item-${i}`)!.counts, `${subgroup} item ${i} (variable ${v})`).toEqual(count(inSubgroup, i)));
      });
    }
    const options = tally.multiSelect.get("challenges")!;
    expect(options.answered).toBe(rows.filter((row) => (row[3 + SIZES.length]! | (row[4 + SIZES.length]! & 7)) !== 0).length);
    expect(options.selected[10]).toBe(rows.filter((row) => (row[4 + SIZES.length]! & 4) !== 0).length);
  });

  it("refuses a row whose code no category has, where it would be counted as another", async () => {
    const head = header();
    const row = new Uint8Array(head.rowWidth).fill(1);
    row[2] = 17;
    await expect(tallyBatch((async function* () { yield Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), row]); })(), "bad")).rejects.toThrow(/code 17/);
  });
});
