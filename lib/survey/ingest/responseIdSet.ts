/**
 * The response ids of one export and the row each was first seen on, to find repeated
 * responses. Ids are kept as their UTF-8 bytes, one after another in one growing array, found
 * through an open-addressing table of their hashes: a million ids take about 30 MB and no
 * string each (a Map of strings takes several times that, and a string per row to look up).
 */
export class ResponseIdSet {
  private arena = new Uint8Array(1 << 16);
  /** Where id k starts in the arena; id k ends where id k + 1 starts. */
  private starts = new Int32Array(1 << 12);
  private rows = new Int32Array(1 << 12);
  private count = 0;
  /**
   * Slot i is [2i]: id index + 1 (0: empty) and [2i + 1]: its hash, side by side so that a probe
   * reads one cache line, and most ids that are not the one looked for are told apart by hash.
   * The number of slots is a power of two; at most half are full.
   */
  private slots = new Int32Array(2 << 13);
  private readonly encoded = new TextEncoder();

  /** How many different ids. */
  get size(): number {
    return this.count;
  }

  /**
   * The row the id in bytes [start, end) was first seen on, or -1 when it is new (it is then
   * kept, seen on `row`).
   */
  firstRow(bytes: Uint8Array, start: number, end: number, row: number): number {
    const hash = hashOf(bytes, start, end);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot]!;
      if (entry === 0) {
        this.add(bytes, start, end, row, slot, hash);
        return -1;
      }
      if (slots[2 * slot + 1] === hash && this.equals(entry - 1, bytes, start, end)) return this.rows[entry - 1]!;
    }
  }

  /** {@link firstRow} for an id as text. */
  firstRowOfText(id: string, row: number): number {
    const bytes = this.encoded.encode(id);
    return this.firstRow(bytes, 0, bytes.length, row);
  }

  private equals(k: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[k]!;
    const length = this.starts[k + 1]! - from;
    if (length !== end - start) return false;
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, row: number, slot: number, hash: number): void {
    const k = this.count++;
    const from = this.starts[k]!;
    const length = end - start;
    if (from + length > this.arena.length) this.arena = grown(this.arena, from + length);
    // A loop, not set(subarray): ids are short, and a Buffer's subarray is a new Buffer object.
    const arena = this.arena;
    for (let i = 0; i < length; i++) arena[from + i] = bytes[start + i]!;
    if (k + 2 > this.starts.length) {
      this.starts = grown(this.starts, k + 2);
      this.rows = grown(this.rows, k + 2);
    }
    this.starts[k + 1] = from + length;
    this.rows[k] = row;
    this.slots[2 * slot] = k + 1;
    this.slots[2 * slot + 1] = hash;
    if (4 * this.count > this.slots.length) this.rehash();
  }

  /** Doubles the table and places every id again. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] === 0) continue;
      const hash = old[at + 1]!;
      let slot = hash & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[at]!;
      slots[2 * slot + 1] = hash;
    }
    this.slots = slots;
  }
}

/**
 * FNV-1a over the id's bytes up to its trailing digits, mixed, plus the number those digits
 * spell: ids numbered in sequence (`R1041`, `R1042`, as most tools number them) land in
 * neighbouring slots, so that a million of them are found without a cache miss each.
 */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let digits = end;
  while (digits > start && bytes[digits - 1]! >= 0x30 && bytes[digits - 1]! <= 0x39) digits--;
  let hash = 0x811c9dc5;
  for (let i = start; i < digits; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  let number = 0;
  for (let i = digits; i < end; i++) number = (Math.imul(number, 10) + bytes[i]! - 0x30) | 0;
  return (hash + number) | 0;
}

/** A copy of `array` at least `needed` long (doubling). */
function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
