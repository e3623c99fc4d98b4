/**
 * Every column's accepted spellings (labels, codes, "not answered" values) as UTF-8 bytes, with
 * the code each stands for, to match a cell in place in a line of bytes: the candidates are
 * those that start with the cell's first byte, end where the cell does, and equal it four bytes
 * at a time. Columns with the same spellings share one set.
 */
export class SpellingTable {
  /** For set m and first byte b: candidates [first[m * 257 + b], first[m * 257 + b + 1]). */
  private readonly first: Int32Array;
  /** Each candidate's start in the pool, length in bytes, and code. */
  private readonly starts: Int32Array;
  readonly lengths: Int32Array;
  readonly codes: Int32Array;
  private readonly pool: DataView;

  private constructor(sets: readonly (readonly [Uint8Array, number])[][]) {
    const candidates = sets.flatMap((set) => [...set].sort(([a], [b]) => a[0]! - b[0]!));
    this.first = new Int32Array(sets.length * 257 + 1);
    this.starts = new Int32Array(candidates.length);
    this.lengths = new Int32Array(candidates.length);
    this.codes = new Int32Array(candidates.length);
    // Four bytes of padding, so that reading a word at any candidate's start stays inside.
    const pool = new Uint8Array(candidates.reduce((total, [bytes]) => total + bytes.length, 0) + 4);
    let k = 0;
    let at = 0;
    sets.forEach((set, m) => {
      const sorted = candidates.slice(k, k + set.length);
      for (let b = 0, i = 0; b <= 256; b++) {
        this.first[m * 257 + b] = k + i;
        while (b < 256 && i < sorted.length && sorted[i]![0][0] === b) i++;
      }
      for (const [bytes, code] of sorted) {
        pool.set(bytes, at);
        this.starts[k] = at;
        this.lengths[k] = bytes.length;
        this.codes[k] = code;
        at += bytes.length;
        k++;
      }
    });
    this.pool = new DataView(pool.buffer);
  }

  /**
   * A table of the given spelling sets (spelling → code; empty spellings are left out) and, for
   * each set, the number {@link match} takes.
   */
  static of(sets: readonly ReadonlyMap<string, number>[]): { table: SpellingTable; ids: number[] } {
    const encoder = new TextEncoder();
    const byKey = new Map<string, number>();
    const unique: (readonly [Uint8Array, number])[][] = [];
    const ids = sets.map((set) => {
      const entries = [...set].filter(([spelling]) => spelling !== "");
      const key = JSON.stringify(entries);
      let id = byKey.get(key);
      if (id === undefined) {
        id = unique.length;
        byKey.set(key, id);
        unique.push(entries.map(([spelling, code]) => [encoder.encode(spelling), code] as const));
      }
      return id;
    });
    return { table: new SpellingTable(unique), ids };
  }

  /**
   * The candidate of set `set` that the cell starting at `start` spells exactly (ending at `end`,
   * the line's end, or at a delimiter), or -1. `cell` views the same bytes as `bytes`.
   */
  match(bytes: Uint8Array, cell: DataView, start: number, end: number, set: number, delimiter: number): number {
    const row = set * 257 + bytes[start]!;
    const pool = this.pool;
    for (let k = this.first[row]!, last = this.first[row + 1]!; k < last; k++) {
      const cellEnd = start + this.lengths[k]!;
      if (cellEnd > end || (cellEnd < end && bytes[cellEnd] !== delimiter)) continue;
      const shift = this.starts[k]! - start;
      let i = start + 1;
      while (i + 4 <= cellEnd && cell.getInt32(i, true) === pool.getInt32(i + shift, true)) i += 4;
      while (i < cellEnd && bytes[i] === pool.getUint8(i + shift)) i++;
      if (i === cellEnd) return k;
    }
    return -1;
  }
}
