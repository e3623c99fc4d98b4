import { readXref } from "./rewritePageContents.ts";

/** Where a PDF's internal links lead: each named destination's page, and each link with the page it is drawn on (pages from 1). */
export interface PdfLinks {
  /** Each named destination (an element id that a link targets) and the page it is on. */
  destinations: Map<string, number>;
  /** Each link to a named destination, in page order, with the page it is drawn on. */
  links: { page: number; destination: string }[];
}

/**
 * The named destinations and internal links of a PDF as Chromium prints it (one revision,
 * uncompressed objects, a `/Dests` dictionary in the catalog): Chromium gives every element that
 * a link of the page targets a named destination, its id, so this says on which page each
 * linked section or figure was printed, and on which page each link was drawn. No PDF library:
 * the objects are read through the cross-reference table.
 * @example readPdfLinks(pdf).destinations.get("table-6") // 3
 */
export function readPdfLinks(pdf: Uint8Array): PdfLinks {
  const { object, trailer } = pdfObjectReader(pdf);
  const catalog = object(reference(trailer, "Root"));
  const pages = pageOrder(object, reference(catalog, "Pages"));
  const pageNumber = new Map(pages.map((n, i) => [n, i + 1]));
  const destsRef = /\/Dests\s+(\d+)\s+\d+\s+R/.exec(catalog)?.[1];
  const dests = destsRef === undefined ? "" : object(Number(destsRef));
  const destinations = new Map<string, number>();
  for (const entry of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+\d+\s+R/g)) {
    const page = pageNumber.get(Number(entry[2]));
    if (page !== undefined) destinations.set(pdfName(entry[1]!), page);
  }
  const links = pages.flatMap((n, i) => annotationsOf(object, object(n)).map((destination) => ({ page: i + 1, destination })));
  return { destinations, links };
}

/** A reader of the PDF's objects by number (each object's text up to its stream data: its dictionary), and the trailer. */
function pdfObjectReader(pdf: Uint8Array): { object: (n: number) => string; trailer: string } {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const { entries, xrefOffset, trailer } = readXref(bytes);
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  const spans = new Map(sorted.map((entry, i) => [entry.number, [entry.offset, sorted[i + 1]?.offset ?? xrefOffset] as const]));
  const object = (n: number): string => {
    const span = spans.get(n);
    if (span === undefined) return "";
    const text = bytes.toString("latin1", span[0], span[1]);
    const stream = text.indexOf("stream");
    return stream < 0 ? text : text.slice(0, stream);
  };
  return { object, trailer };
}

/** The object number of a reference `/Key n 0 R` in an object's text. */
function reference(text: string, key: string): number {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(text);
  if (!match) throw new Error(`PDF: no /${key} reference`);
  return Number(match[1]);
}

/** The page objects under a page tree node, in page order. */
function pageOrder(object: (n: number) => string, node: number): number[] {
  const text = object(node);
  if (!/\/Type\s*\/Pages\b/.test(text)) return [node];
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(text)?.[1] ?? "";
  return [...kids.matchAll(/(\d+)\s+\d+\s+R/g)].flatMap((kid) => pageOrder(object, Number(kid[1])));
}

/** The named destinations of a page's link annotations, in the page's annotation order. */
function annotationsOf(object: (n: number) => string, page: string): string[] {
  const annots = /\/Annots\s*\[([^\]]*)\]/.exec(page)?.[1] ?? "";
  return [...annots.matchAll(/(\d+)\s+\d+\s+R/g)].flatMap((ref) => {
    const dest = /\/Subtype\s*\/Link[\s\S]*?\/Dest\s*\/([^\s/[\]<>()]+)/.exec(object(Number(ref[1])));
    return dest ? [pdfName(dest[1]!)] : [];
  });
}

/** A PDF name's characters (`#xx` escapes decoded, as UTF-8). */
function pdfName(raw: string): string {
  return Buffer.from(raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
}
