import { isUtf8 } from "node:buffer";

/**
 * Offset of the first byte that breaks UTF-8 in `bytes`, or -1 when all are valid.
 * A sequence cut short at the very end counts as valid (the next chunk may complete it).
 * Used only to locate an error once the decoder has refused a chunk.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1;
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}

/** U+FFFD REPLACEMENT CHARACTER, what a byte that is not valid text is read as. */
export const REPLACEMENT_CHARACTER = "\uFFFD";
/** U+FFFD as UTF-8. */
export const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT_CHARACTER, "utf8");

/** The first byte a stream held that was not valid UTF-8, and its offset in the stream. */
export interface InvalidByte {
  byte: number;
  offset: number;
}

/**
 * Passes UTF-8 bytes on as they stream in, each sequence that is not UTF-8 replaced by U+FFFD
 * (as a decoder that does not refuse would read it), so one stray Windows-1252 byte costs the
 * cell it is in, not the file. What follows reads only valid UTF-8. Valid pieces (nearly all)
 * pass through as they are, after one native check; a character cut by the end of a piece waits
 * for the rest.
 *
 * @example
 * const repair = new Utf8Repair();
 * repair.push(Uint8Array.of(0x61, 0x92, 0x62), true); // "a\uFFFDb" as UTF-8
 * repair.first; // { byte: 0x92, offset: 1 }
 */
export class Utf8Repair {
  /** The first byte replaced, if any was. */
  first: InvalidByte | undefined;
  /** How many pieces held bytes that were replaced. */
  repairs = 0;
  private carry: Uint8Array = new Uint8Array(0);
  /** Bytes of the stream before `carry`. */
  private passed = 0;

  /** The valid UTF-8 the next piece completes; `final` marks the end of the stream. */
  push(bytes: Uint8Array, final: boolean): Uint8Array {
    let data = bytes;
    if (this.carry.length > 0) {
      data = Buffer.concat([this.carry, bytes]);
    }
    const end = final ? data.length : completeEnd(data);
    const piece = data.subarray(0, end);
    this.carry = end === data.length ? new Uint8Array(0) : Uint8Array.from(data.subarray(end));
    const base = this.passed;
    this.passed += piece.length;
    if (isUtf8(piece)) return piece;
    this.repairs++;
    if (this.first === undefined) {
      const at = firstInvalidUtf8Byte(piece);
      const offset = at >= 0 ? at : lastLeadByte(piece);
      this.first = { byte: piece[offset]!, offset: base + offset };
    }
    return Buffer.from(Buffer.from(piece.buffer, piece.byteOffset, piece.length).toString("utf8"), "utf8");
  }
}

/** Where a character cut by the end of the bytes starts (the length when none is cut). */
export function completeEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** The lead byte of a sequence cut short at the end (firstInvalidUtf8Byte takes such a cut for a chunk boundary). */
function lastLeadByte(bytes: Uint8Array): number {
  let at = bytes.length - 1;
  while (at > 0 && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}
