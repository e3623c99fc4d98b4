import { deflateSync, inflateSync } from "node:zlib";

/** A PDF this module cannot rewrite (not one revision with a classic cross-reference table, as Chromium writes). */
export class UnsupportedPdfError extends Error {
  constructor(why: string) {
    super(`cannot rewrite the PDF's page contents: ${why}`);
    this.name = "UnsupportedPdfError";
  }
}

/** One in-use object of the cross-reference table: its number, generation and byte offset. */
interface XrefEntry {
  number: number;
  generation: number;
  offset: number;
}

/**
 * Rewrites the content stream of every page through `transform` (given and giving the decoded
 * bytes) and writes the file again with a new cross-reference table: every other object is kept
 * byte for byte, in the same order. For PDFs as Chromium (Skia) prints them: one revision, a
 * classic cross-reference table, uncompressed objects, page contents that are Flate-compressed
 * streams of one object each. Anything else is refused with {@link UnsupportedPdfError}.
 */
export function rewritePageContents(pdf: Uint8Array, transform: (content: Uint8Array) => Uint8Array): Uint8Array {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const { entries, xrefOffset, trailer } = readXref(bytes);
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  const spans = new Map(sorted.map((entry, i) => [entry.number, bytes.subarray(entry.offset, sorted[i + 1]?.offset ?? xrefOffset)]));
  const contents = pageContentObjects([...spans.values()].map(objectHead));
  const parts: Buffer[] = [bytes.subarray(0, sorted[0]?.offset ?? xrefOffset)];
  const offsets = new Map<number, number>();
  let length = parts[0]!.length;
  for (const entry of sorted) {
    const span = spans.get(entry.number)!;
    const body = contents.has(entry.number) ? rewriteStream(span, entry, transform) : span;
    offsets.set(entry.number, length);
    parts.push(body);
    length += body.length;
  }
  parts.push(xrefTable(entries, offsets, trailer, length));
  return new Uint8Array(Buffer.concat(parts));
}

/** The cross-reference table and trailer of a one-revision PDF (Chromium's); refused with {@link UnsupportedPdfError} otherwise. */
export function readXref(bytes: Buffer): { entries: XrefEntry[]; xrefOffset: number; trailer: string } {
  const tail = bytes.toString("latin1", Math.max(0, bytes.length - 64));
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw new UnsupportedPdfError("no startxref at the end");
  const xrefOffset = Number(startxref[1]);
  const table = bytes.toString("latin1", xrefOffset, bytes.length);
  if (!table.startsWith("xref")) throw new UnsupportedPdfError("a cross-reference stream, not a table");
  const trailerAt = table.indexOf("trailer");
  const trailer = /trailer\s*(<<[\s\S]*>>)\s*startxref/.exec(table)?.[1];
  if (trailerAt < 0 || trailer === undefined) throw new UnsupportedPdfError("no trailer");
  if (/\/(Prev|XRefStm|Encrypt)\b/.test(trailer)) throw new UnsupportedPdfError("more than one revision, or encrypted");
  const entries: XrefEntry[] = [];
  const lines = table.slice(4, trailerAt).trim().split(/\r?\n|\r/).map((line) => line.trim());
  for (let i = 0; i < lines.length; ) {
    const [first, count] = lines[i++]!.split(/\s+/).map(Number);
    for (let k = 0; k < count!; k++, i++) {
      const [offset, generation, kind] = lines[i]!.split(/\s+/);
      if (kind === "n") entries.push({ number: first! + k, generation: Number(generation), offset: Number(offset) });
    }
  }
  return { entries, xrefOffset, trailer };
}

/** An object's text up to its stream data, if it has any (a page's dictionary is all of it). */
function objectHead(span: Buffer): string {
  const head = span.toString("latin1", 0, Math.min(span.length, 4000));
  const stream = head.indexOf("stream");
  return stream < 0 ? head : head.slice(0, stream);
}

/** The numbers of the objects that are pages' content streams (`/Contents n 0 R` or an array of them). */
function pageContentObjects(heads: readonly string[]): Set<number> {
  const numbers = new Set<number>();
  for (const head of heads) {
    if (!/\/Type\s*\/Page\b(?!s)/.test(head)) continue;
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(head)?.[1] ?? "";
    for (const ref of contents.matchAll(/(\d+)\s+\d+\s+R/g)) numbers.add(Number(ref[1]));
  }
  return numbers;
}

/** A content stream object written again around its transformed, recompressed data. */
function rewriteStream(span: Buffer, entry: XrefEntry, transform: (content: Uint8Array) => Uint8Array): Buffer {
  const text = span.toString("latin1", 0, Math.min(span.length, 400));
  const head = /^\s*\d+\s+\d+\s+obj\s*(<<[\s\S]*?>>)\s*stream(\r\n|\n)/.exec(text);
  if (!head) throw new UnsupportedPdfError(`object ${entry.number} is not a stream`);
  const dictionary = head[1]!;
  const declared = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary);
  if (!declared || !/\/Filter\s*\/FlateDecode\b/.test(dictionary) || /\/DecodeParms/.test(dictionary)) {
    throw new UnsupportedPdfError(`page contents ${entry.number} are not one Flate stream of direct length`);
  }
  const start = head[0].length;
  const data = deflateSync(transform(inflateSync(span.subarray(start, start + Number(declared[1])))));
  const newDictionary = dictionary.replace(/\/Length\s+\d+/, `/Length ${data.length}`);
  return Buffer.concat([Buffer.from(`${entry.number} ${entry.generation} obj\n${newDictionary} stream\n`, "latin1"), data, Buffer.from("\nendstream\nendobj\n", "latin1")]);
}

/** A classic cross-reference table over every object number up to the highest, free where unused, the trailer and startxref. */
function xrefTable(entries: readonly XrefEntry[], offsets: ReadonlyMap<number, number>, trailer: string, at: number): Buffer {
  const size = Math.max(0, ...entries.map((e) => e.number)) + 1;
  const byNumber = new Map(entries.map((e) => [e.number, e]));
  const rows = ["0000000000 65535 f \n"];
  for (let n = 1; n < size; n++) {
    const entry = byNumber.get(n);
    rows.push(entry ? `${String(offsets.get(n)).padStart(10, "0")} ${String(entry.generation).padStart(5, "0")} n \n` : "0000000000 00000 f \n");
  }
  const sized = /\/Size\s+\d+/.test(trailer) ? trailer.replace(/\/Size\s+\d+/, `/Size ${size}`) : trailer;
  return Buffer.from(`xref\n0 ${size}\n${rows.join("")}trailer\n${sized}\nstartxref\n${at}\n%%EOF\n`, "latin1");
}
