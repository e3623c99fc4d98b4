import { deflateSync } from "node:zlib";

const HEADER = 44;
const ENTRY = 20;

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * A TrueType/OpenType font (sfnt) wrapped as WOFF 1.0 (W3C, 2012): the same tables, each
 * zlib-compressed where that makes it smaller, behind WOFF's header and table directory. Node's
 * own zlib does it in well under a millisecond; the WOFF encoder subset-font uses (pako, in
 * JavaScript) took 50 ms a face and its WOFF2 (Brotli in WebAssembly) 140 ms.
 */
export function sfntToWoff(sfnt: Uint8Array): Uint8Array {
  const view = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  const count = view.getUint16(4);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 12 + i * 16;
    const [tag, checksum, offset, length] = [view.getUint32(at), view.getUint32(at + 4), view.getUint32(at + 8), view.getUint32(at + 12)];
    const data = sfnt.subarray(offset, offset + length);
    // A table of a few bytes is stored as it is: zlib would not make it smaller.
    const packed = length >= 64 ? deflateSync(data) : data;
    return { tag, checksum, length, body: packed.length < length ? new Uint8Array(packed) : data };
  });
  const total = align4(HEADER + ENTRY * count) + tables.reduce((sum, t) => sum + align4(t.body.length), 0);
  const out = new Uint8Array(total);
  const woff = new DataView(out.buffer);
  woff.setUint32(0, 0x774f4646); // "wOFF"
  woff.setUint32(4, view.getUint32(0)); // the sfnt's flavour
  woff.setUint32(8, total);
  woff.setUint16(12, count);
  woff.setUint32(16, 12 + 16 * count + tables.reduce((sum, t) => sum + align4(t.length), 0));
  woff.setUint16(20, 1); // font version 1.0; no metadata or private block
  let offset = align4(HEADER + ENTRY * count);
  tables.forEach((table, i) => {
    const at = HEADER + i * ENTRY;
    woff.setUint32(at, table.tag);
    woff.setUint32(at + 4, offset);
    woff.setUint32(at + 8, table.body.length);
    woff.setUint32(at + 12, table.length);
    woff.setUint32(at + 16, table.checksum);
    out.set(table.body, offset);
    offset += align4(table.body.length);
  });
  return out;
}
