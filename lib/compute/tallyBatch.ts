import { type BatchHeader, batchHeaderSchema, SERVICE_AREA } from "../ingest/batchFormat.ts";
import type { GroupTally, ItemTally, MultiSelectTally, SubgroupTally } from "./groupTally.ts";

const NEWLINE = 0x0a;

/**
 * Counts a normalized batch as it streams past: responses by service area, categories per item,
 * selections per multi-select option, and the same item counts within each subgroup.
 * Memory stays constant whatever the number of rows.
 */
export async function tallyBatch(
  body: AsyncIterable<Uint8Array>,
  source: string,
): Promise<GroupTally> {
  let header: BatchHeader | undefined;
  let tally: Tallier | undefined;
  let pending = new Uint8Array(0);
  for await (const chunk of body) {
    let bytes = pending.length > 0 ? concat(pending, chunk) : chunk;
    if (!header) {
      const end = bytes.indexOf(NEWLINE);
      if (end < 0) {
        pending = bytes.slice();
        continue;
      }
      header = batchHeaderSchema.parse(
        JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))),
      );
      tally = new Tallier(header);
      bytes = bytes.subarray(end + 1);
    }
    const whole = bytes.length - (bytes.length % header.rowWidth);
    tally!.addRows(bytes, whole);
    pending = bytes.slice(whole);
  }
  if (!header || !tally) throw new Error(`${source}: not a normalized batch (no header line)`);
  if (pending.length > 0)
    throw new Error(`${source}: truncated (a partial row of ${pending.length} bytes at the end)`);
  return tally.result();
}

class Tallier {
  private readonly serviceArea = [0, 0, 0];
  private readonly itemCounts: Int32Array[];
  private readonly subgroupCounts: Int32Array[][][];
  private readonly subgroupRespondents: Int32Array[];
  private readonly answered: number[];
  private readonly selected: Int32Array[];

  constructor(private readonly header: BatchHeader) {
    this.itemCounts = header.items.map((item) => new Int32Array(item.categories.length + 1));
    this.subgroupCounts = header.subgroupVariables.map((variable) =>
      variable.subgroups.map(() =>
        header.items.map((item) => new Int32Array(item.categories.length + 1)),
      ),
    );
    this.subgroupRespondents = header.subgroupVariables.map(
      (v) => new Int32Array(v.subgroups.length + 1),
    );
    this.answered = header.multiSelect.map(() => 0);
    this.selected = header.multiSelect.map((question) => new Int32Array(question.options.length));
  }

  addRows(bytes: Uint8Array, length: number): void {
    const { rowWidth, items, subgroupVariables, multiSelect } = this.header;
    const itemOffsets = items.map((item) => item.offset);
    for (let row = 0; row < length; row += rowWidth) {
      this.serviceArea[bytes[row]!]!++;
      for (let i = 0; i < itemOffsets.length; i++)
        this.itemCounts[i]![bytes[row + itemOffsets[i]!]!]!++;
      for (let v = 0; v < subgroupVariables.length; v++) {
        const code = bytes[row + subgroupVariables[v]!.offset]!;
        this.subgroupRespondents[v]![code]!++;
        if (code === 0) continue;
        const counts = this.subgroupCounts[v]![code - 1]!;
        for (let i = 0; i < itemOffsets.length; i++) counts[i]![bytes[row + itemOffsets[i]!]!]!++;
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
        for (let o = 0; o < question.options.length; o++) {
          if (bytes[start + (o >> 3)]! & (1 << (o & 7))) selected[o]!++;
        }
      }
    }
  }

  result(): GroupTally {
    const { header } = this;
    const itemTallies = (counts: Int32Array[]): Map<string, ItemTally> =>
      new Map(
        header.items.map((item, i) => [
          item.id,
          { id: item.id, categories: item.categories, counts: Array.from(counts[i]!) },
        ]),
      );
    const subgroups: SubgroupTally[] = header.subgroupVariables.flatMap((variable, v) =>
      variable.subgroups.map((subgroup, s) => ({
        variable: variable.id,
        subgroup,
        respondents: this.subgroupRespondents[v]![s + 1]!,
        items: itemTallies(this.subgroupCounts[v]![s]!),
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
      items: itemTallies(this.itemCounts),
      multiSelect,
      subgroups,
    };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
