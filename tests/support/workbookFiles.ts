import { crc32, constants, deflateRawSync } from "node:zlib";

/** Text (or bytes) repeated `times` times: how a hostile part is described without being built. */
export interface Piece {
  text: string | Buffer;
  times?: number;
}

/** One part of a zip file, deflated; `descriptor`: sizes and CRC after the data (flag bit 3), as streaming writers do. */
export interface ZipPart {
  name: string;
  pieces: readonly Piece[];
  descriptor?: boolean;
}

const FINAL_EMPTY_BLOCK = deflateRawSync(Buffer.alloc(0));

/** Small pieces repeated are compressed this many bytes at a time (so a table of millions of short strings stays small). */
const REPEAT_BLOCK = 1 << 20;

/**
 * A deflate stream of the pieces, each compressed once and its blocks repeated (each piece ends
 * in a full flush, so no block refers to another): 300 MB of text costs a few hundred KB and a
 * few milliseconds. With its uncompressed size and CRC-32.
 */
export function deflated(pieces: readonly Piece[]): { data: Buffer; size: number; crc: number } {
  const blocks: Buffer[] = [];
  let size = 0;
  let crc = 0;
  const add = (bytes: Buffer, times: number) => {
    const block = deflateRawSync(bytes, { finishFlush: constants.Z_FULL_FLUSH });
    for (let n = times; n > 0; n--) {
      blocks.push(block);
      crc = crc32(bytes, crc);
      size += bytes.length;
    }
  };
  for (const piece of pieces) {
    const bytes = typeof piece.text === "string" ? Buffer.from(piece.text, "utf8") : piece.text;
    if (bytes.length === 0) continue;
    const times = piece.times ?? 1;
    const together = Math.max(1, Math.min(times, Math.floor(REPEAT_BLOCK / bytes.length)));
    if (together > 1) add(Buffer.concat(Array.from({ length: together }, () => bytes)), Math.floor(times / together));
    if (times % together > 0 || together === 1) add(bytes, together === 1 ? times : times % together);
  }
  blocks.push(FINAL_EMPTY_BLOCK);
  return { data: Buffer.concat(blocks), size, crc };
}

/** A zip file (no zip64: parts under 4 GiB) of deflated parts, with its central directory. */
export function zipFile(parts: readonly ZipPart[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, size, crc } = deflated(part.pieces);
    const name = Buffer.from(part.name, "utf8");
    const flags = part.descriptor ? 0x0808 : 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(part.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(part.descriptor ? 0 : data.length, 18);
    local.writeUInt32LE(part.descriptor ? 0 : size, 22);
    local.writeUInt16LE(name.length, 26);
    out.push(local, name, data);
    let length = local.length + name.length + data.length;
    if (part.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(data.length, 8);
      descriptor.writeUInt32LE(size, 12);
      out.push(descriptor);
      length += descriptor.length;
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, directory, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** What goes into a minimal workbook of one sheet: its rows' XML, and the shared strings' if any. */
export interface WorkbookParts {
  sheetName?: string;
  /** The `<sheetData>` content. */
  rows: readonly Piece[];
  /** The `<sst>` content; no shared-strings part when undefined. */
  sharedStrings?: readonly Piece[];
  /** Parts written after the sheet, as Excel and exceljs write them (default), or before it. */
  sheetFirst?: boolean;
  descriptor?: boolean;
}

/** A minimal .xlsx workbook of one sheet, as bytes; the rows and shared strings may be huge and cost little. */
export function workbookFile(parts: WorkbookParts): Buffer {
  const descriptor = parts.descriptor ?? true;
  const text = (name: string, content: string): ZipPart => ({ name, pieces: [{ text: XML + content }], descriptor });
  const sheet: ZipPart = {
    name: "xl/worksheets/sheet1.xml",
    pieces: [{ text: `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheetData>` }, ...parts.rows, { text: "</sheetData></worksheet>" }],
    descriptor,
  };
  const strings: ZipPart[] =
    parts.sharedStrings === undefined ? [] : [{ name: "xl/sharedStrings.xml", pieces: [{ text: `${XML}<sst xmlns="${MAIN}">` }, ...parts.sharedStrings, { text: "</sst>" }], descriptor }];
  const sharedStringsType = parts.sharedStrings === undefined ? "" : '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>';
  const metadata = [
    text(
      "xl/workbook.xml",
      `<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="${parts.sheetName ?? "Sheet1"}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    text(
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    ...strings,
  ];
  const head = [
    text(
      "[Content_Types].xml",
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${sharedStringsType}</Types>`,
    ),
    text(
      "_rels/.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
  ];
  return zipFile(parts.sheetFirst === false ? [...head, ...metadata, sheet] : [...head, sheet, ...metadata]);
}

/** A row of inline-string cells (`t="inlineStr"`), each cell's XML escaped as it must be. */
export function inlineRow(row: number, cells: readonly string[]): string {
  const columns = cells.map((cell, c) => `<c r="${columnName(c)}${row}" t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`);
  return `<row r="${row}">${columns.join("")}</row>`;
}

/** The column's letters (0 → A, 26 → AA). */
export function columnName(column: number): string {
  let name = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
