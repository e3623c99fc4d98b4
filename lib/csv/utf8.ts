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
