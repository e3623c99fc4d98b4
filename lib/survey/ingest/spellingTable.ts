/**
 * Every column's accepted spellings (labels, codes, "not answered" values) as UTF-8 bytes, with
 * the code each stands for, to match a cell in place in a line of bytes: the candidates are
 * those that start with the cell's first byte and end where the cell does, and the cell must
 * equal one four bytes at a time (its last four compared as one overlapping word). Columns with
 * the same spellings share one set.
 */
export class SpellingTable {
  /** For set m and first byte b: candidates [first[m * 257 + b], first[m * 257 + b + 1]). */
  private readonly first: Int32Array;
  /** Each candidate's length in bytes and code. */
  readonly lengths: Int32Array;
  readonly codes: Int32Array;
  /** Each candidate's bytes as little-endian words from wordStarts[k], the last one zero-padded. */
  private readonly words: Int32Array;
  private readonly wordStarts: Int32Array;
  /** Each candidate's last four bytes as one word (four bytes or more), or the mask of its bytes in its first word (fewer). */
  private readonly lastWords: Int32Array;
  private readonly masks: Int32Array;

  private constructor(sets: readonly (readonly [Uint8Array, number])[][]) {
    const candidates = sets.flatMap((set) => [...set].sort(([a], [b]) => a[0]! - b[0]!));
    const count = candidates.length;
    this.first = new Int32Array(sets.length * 257 + 1);
    this.lengths = new Int32Array(count);
    this.codes = new Int32Array(count);
    this.wordStarts = new Int32Array(count);
    this.lastWords = new Int32Array(count);
    this.masks = new Int32Array(count);
    this.words = new Int32Array(candidates.reduce((total, [bytes]) => total + ((bytes.length + 3) >> 2), 0));
    let k = 0;
    let word = 0;
    sets.forEach((set, m) => {
      const sorted = candidates.slice(k, k + set.length);
      for (let b = 0, i = 0; b <= 256; b++) {
        this.first[m * 257 + b] = k + i;
        while (b < 256 && i < sorted.length && sorted[i]![0][0] === b) i++;
      }
      for (const [bytes, code] of sorted) {
        const padded = new Uint8Array(((bytes.length + 3) >> 2) * 4);
        padded.set(bytes);
        const view = new DataView(padded.buffer);
        this.lengths[k] = bytes.length;
        this.codes[k] = code;
        this.wordStarts[k] = word;
        for (let at = 0; at < padded.length; at += 4) this.words[word++] = view.getInt32(at, true);
        if (bytes.length >= 4) this.lastWords[k] = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getInt32(bytes.length - 4, true);
        else this.masks[k] = (1 << (8 * bytes.length)) - 1;
        k++;
      }
    });
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
    const words = this.words;
    for (let k = this.first[row]!, last = this.first[row + 1]!; k < last; k++) {
      const length = this.lengths[k]!;
      const cellEnd = start + length;
      if (cellEnd > end || (cellEnd < end && bytes[cellEnd] !== delimiter)) continue;
      let w = this.wordStarts[k]!;
      if (length < 4) {
        // One masked word, when four bytes can be read there (the bytes after the cell do not count).
        if (start + 4 <= bytes.length) {
          if (((cell.getInt32(start, true) ^ words[w]!) & this.masks[k]!) === 0) return k;
          continue;
        }
        let i = 1;
        while (i < length && bytes[start + i] === ((words[w]! >>> (8 * i)) & 0xff)) i++;
        if (i === length) return k;
        continue;
      }
      let i = 0;
      while (i + 4 < length && cell.getInt32(start + i, true) === words[w]!) {
        i += 4;
        w++;
      }
      if (i + 4 >= length && cell.getInt32(cellEnd - 4, true) === this.lastWords[k]) return k;
    }
    return -1;
  }
}
