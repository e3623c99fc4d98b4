import { type BatchHeader, SERVICE_AREA } from "../ingest/batchFormat.ts";
import { streamBatchRows } from "./readBatchRows.ts";
import type { GroupTally, ItemTally, MultiSelectTally, SubgroupTally } from "./groupTally.ts";

/**
 * Counts a normalized batch as it streams past: responses by service area, categories per item,
 * selections per multi-select option, and the same item counts within each subgroup.
 * Memory stays constant whatever the number of rows.
 */
export async function tallyBatch(
  body: AsyncIterable<Uint8Array>,
  source: string,
): Promise<GroupTally> {
  let tally: Tallier | undefined;
  await streamBatchRows(body, source, {
    header: (header) => {
      tally = new Tallier(header);
    },
    rows: (rows, length) => tally!.addRows(rows, length),
  });
  return tally!.result();
}

/**
 * Answers are counted in units of 256 cells, a row without a lookup: an item whose codes are
 * all under 16 is counted with another such item, the pair of codes as one index (a * 16 + b),
 * which halves the counting for the usual scales; any other item is counted alone by its code.
 * The items' own counts are summed out of the pairs at the end.
 */
const CELLS = 256;
const PAIRED_CODES = 16;

class Tallier {
  private readonly serviceArea = [0, 0, 0];
  /** Row offsets of the pairs' two items, and of the single items; pair p is unit p, single s is unit pairs + s. */
  private readonly pairFirst: Int32Array;
  private readonly pairSecond: Int32Array;
  private readonly singles: Int32Array;
  /** Which item each pair's first and second, and each single, is. */
  private readonly unitItems: number[][];
  /** Unit u's count of index c at [u * CELLS + c]. */
  private readonly counts: Int32Array;
  /** The same within variable v's subgroup s (code s + 1), at [subgroupBase[v] + s * units * CELLS + u * CELLS + c]. */
  private readonly subgroupCounts: Int32Array;
  private readonly subgroupBase: Int32Array;
  private readonly subgroupOffsets: Int32Array;
  /** Variable v's respondents with code c at [v * CELLS + c]. */
  private readonly subgroupRespondents: Int32Array;
  private readonly answered: number[];
  private readonly selected: Int32Array[];

  constructor(private readonly header: BatchHeader) {
    const pairable = header.items.flatMap((item, i) => (item.categories.length < PAIRED_CODES ? [i] : []));
    const pairs: number[][] = [];
    for (let k = 0; k + 1 < pairable.length; k += 2) pairs.push([pairable[k]!, pairable[k + 1]!]);
    const paired = new Set(pairs.flat());
    const singles = header.items.flatMap((_, i) => (paired.has(i) ? [] : [i]));
    this.pairFirst = Int32Array.from(pairs, ([i]) => header.items[i!]!.offset);
    this.pairSecond = Int32Array.from(pairs, ([, j]) => header.items[j!]!.offset);
    this.singles = Int32Array.from(singles, (i) => header.items[i]!.offset);
    this.unitItems = [...pairs, ...singles.map((i) => [i])];
    const units = this.unitItems.length;
    this.counts = new Int32Array(units * CELLS);
    this.subgroupOffsets = Int32Array.from(header.subgroupVariables, (variable) => variable.offset);
    this.subgroupBase = new Int32Array(header.subgroupVariables.length);
    let cells = 0;
    header.subgroupVariables.forEach((variable, v) => {
      this.subgroupBase[v] = cells;
      cells += variable.subgroups.length * units * CELLS;
    });
    this.subgroupCounts = new Int32Array(cells);
    this.subgroupRespondents = new Int32Array(header.subgroupVariables.length * CELLS);
    this.answered = header.multiSelect.map(() => 0);
    this.selected = header.multiSelect.map((question) => new Int32Array(question.options.length));
  }

  addRows(rows: Uint8Array, length: number): void {
    // One kind of array at every element read here (a Buffer is a subclass V8 reads more slowly).
    const bytes = new Uint8Array(rows.buffer, rows.byteOffset, length);
    const { rowWidth, subgroupVariables, multiSelect } = this.header;
    const { pairFirst, pairSecond, singles, counts, subgroupCounts, subgroupBase, subgroupOffsets, subgroupRespondents } = this;
    const pairs = pairFirst.length;
    const units = this.unitItems.length;
    const variables = subgroupOffsets.length;
    // Where this row's subgroup counts are, per variable (-1: in none).
    const bases = new Int32Array(variables);
    for (let row = 0; row < length; row += rowWidth) {
      this.serviceArea[bytes[row]!]!++;
      let counted = 0;
      for (let v = 0; v < variables; v++) {
        const code = bytes[row + subgroupOffsets[v]!]!;
        subgroupRespondents[v * CELLS + code]!++;
        const classified = code !== 0 && code <= subgroupVariables[v]!.subgroups.length;
        bases[v] = classified ? subgroupBase[v]! + (code - 1) * units * CELLS : -1;
        if (classified) counted++;
      }
      // Each unit is read once and counted for the group and for each subgroup the row is in.
      for (let u = 0; u < units; u++) {
        let index: number;
        if (u < pairs) {
          const first = bytes[row + pairFirst[u]!]!;
          const second = bytes[row + pairSecond[u]!]!;
          if ((first | second) >= PAIRED_CODES) throw new Error(`a normalized row holds code ${Math.max(first, second)} where the scale has fewer categories`);
          index = first * PAIRED_CODES + second;
        } else index = bytes[row + singles[u - pairs]!]!;
        const cell = u * CELLS + index;
        counts[cell]!++;
        if (counted === 0) continue;
        for (let v = 0; v < variables; v++) if (bases[v]! >= 0) subgroupCounts[bases[v]! + cell]!++;
      }
      for (let q = 0; q < multiSelect.length; q++) {
        const question = multiSelect[q]!;
        const start = row + question.offset;
        const width = Math.ceil(question.options.length / 8);
        let any = 0;
        for (let b = 0; b < width; b++) any |= bytes[start + b]!;
        if (any === 0) continue;
        this.answered[q]!++;
        const selected = this.selected[q]!;
        // Without a branch per option: chosen or not is as likely as a coin toss.
        for (let o = 0; o < question.options.length; o++) selected[o]! += (bytes[start + (o >> 3)]! >> (o & 7)) & 1;
      }
    }
  }

  result(): GroupTally {
    const { header } = this;
    const pairs = this.pairFirst.length;
    /** Each item's counts by code, summed out of the units from `base` on. */
    const itemTallies = (counts: Int32Array, base: number): Map<string, ItemTally> => {
      const byItem = header.items.map((item) => new Array<number>(item.categories.length + 1).fill(0));
      this.unitItems.forEach((items, u) => {
        const unit = counts.subarray(base + u * CELLS, base + (u + 1) * CELLS);
        if (u >= pairs) {
          const own = byItem[items[0]!]!;
          for (let code = 0; code < own.length; code++) own[code] = unit[code]!;
          return;
        }
        const [first, second] = [byItem[items[0]!]!, byItem[items[1]!]!];
        for (let a = 0; a < first.length; a++) {
          for (let b = 0; b < second.length; b++) {
            const n = unit[a * PAIRED_CODES + b]!;
            first[a]! += n;
            second[b]! += n;
          }
        }
      });
      return new Map(header.items.map((item, i) => [item.id, { id: item.id, categories: item.categories, counts: byItem[i]! }]));
    };
    const subgroups: SubgroupTally[] = header.subgroupVariables.flatMap((variable, v) =>
      variable.subgroups.map((subgroup, s) => ({
        variable: variable.id,
        subgroup,
        respondents: this.subgroupRespondents[v * CELLS + s + 1]!,
        items: itemTallies(this.subgroupCounts, this.subgroupBase[v]! + s * this.unitItems.length * CELLS),
      })),
    );
    const multiSelect = new Map<string, MultiSelectTally>(
      header.multiSelect.map((question, q) => [
        question.id,
        {
          id: question.id,
          options: question.options,
          answered: this.answered[q]!,
          selected: Array.from(this.selected[q]!),
        },
      ]),
    );
    return {
      group: header.group,
      childAndFamilyOnly: this.serviceArea[SERVICE_AREA.childAndFamilyOnly]!,
      both: this.serviceArea[SERVICE_AREA.both]!,
      serviceAreaNotAsked: this.serviceArea[SERVICE_AREA.notAsked]!,
      items: itemTallies(this.counts, 0),
      multiSelect,
      subgroups,
    };
  }
}
