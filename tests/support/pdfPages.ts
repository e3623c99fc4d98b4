import { allElements, type PdfAccessibility, type TaggedElement } from "./pdfAccessibility.ts";

/** A4 less the margins compute prints with (lib/render/renderWithChromium.ts: 12 mm each side, 14 mm top, 16 mm bottom), in CSS px. */
export const PRINTED_PAGE = { width: ((210 - 24) * 96) / 25.4, height: ((297 - 14 - 16) * 96) / 25.4 };

/** One table of a PDF in reading order: its caption, the pages it is on, and its part on each. */
export interface PrintedTable {
  caption: string;
  pages: number[];
  parts: TaggedElement[];
}

/**
 * The last element holding text on each page, as a reader meets the foot of the page (the
 * running footer is an artifact, not in the tree): the innermost, e.g. an `H2` rather than the
 * section around it, or a `TD` of the last row.
 */
export function lastOnEachPage(pdf: PdfAccessibility): (TaggedElement | undefined)[] {
  return pdf.structure.map((page) => {
    // The path down to the last piece of text; of it, the innermost element that means something
    // (Chromium wraps runs of text, and sections without a name, in NonStruct and Span).
    const path: TaggedElement[] = [];
    let level: readonly TaggedElement[] = page;
    for (let last = lastWithText(level); last !== undefined; last = lastWithText(level)) {
      path.push(last);
      level = last.children;
    }
    return path.filter((e) => e.role !== "NonStruct" && e.role !== "Span").at(-1);
  });
}

function lastWithText(elements: readonly TaggedElement[]): TaggedElement | undefined {
  return elements.filter((e) => e.text.trim() !== "").at(-1);
}

/**
 * The pages that end with what should lead into the next thing, in words: a heading, a table's
 * caption, or a table's header row with no row under it. Empty when none does.
 */
export function pagesEndingWithHeading(pdf: PdfAccessibility): string[] {
  const problems: string[] = [];
  pdf.structure.forEach((page, i) => {
    const elements = allElements(page);
    const last = lastOnEachPage(pdf)[i];
    if (last === undefined) return;
    const heading = /^H[1-6]$/.test(last.role) || last.role === "Caption" ? last : undefined;
    const table = elements.filter((e) => e.role === "Table").at(-1);
    const headerOnly = table !== undefined && allElements([table]).includes(last) && !allElements(table.children).some((e) => e.role === "TD");
    if (heading) problems.push(`page ${i + 1} ends with ${heading.role} "${heading.text.trim()}"`);
    else if (headerOnly) problems.push(`page ${i + 1} ends with the header of "${table.text.trim().slice(0, 60)}" and none of its rows`);
  });
  return problems;
}

/**
 * Every table of the PDF in reading order with the pages it runs over. pdf.js gives each page's
 * tree on its own, so a table on two pages is two parts; a part without a caption continues the
 * table before it (Chromium tags the caption once, on the first page).
 */
export function printedTables(pdf: PdfAccessibility): PrintedTable[] {
  const tables: PrintedTable[] = [];
  pdf.structure.forEach((page, i) => {
    for (const part of allElements(page).filter((e) => e.role === "Table")) {
      const caption = part.children.find((child) => child.role === "Caption");
      const previous = tables.at(-1);
      if (caption === undefined && previous !== undefined) {
        previous.pages.push(i + 1);
        previous.parts.push(part);
      } else tables.push({ caption: caption?.text.trim() ?? "", pages: [i + 1], parts: [part] });
    }
  });
  return tables;
}

/** The header cells' text of a table part's first row: what Chromium repeats at the top of each page a table runs onto. */
export function firstRowHeaders(part: TaggedElement): string[] {
  const row = allElements(part.children).find((e) => e.role === "TR");
  return row !== undefined && row.children.every((cell) => cell.role === "TH") ? row.children.map((cell) => cell.text.trim()) : [];
}

/** The number of words on each page outside the running footer: a page of one word or one line is a layout fault. */
export function wordsOnEachPage(pdf: PdfAccessibility): number[] {
  return pdf.structure.map((page) => page.map((e) => e.text).join(" ").split(/\s+/).filter((word) => /\w/.test(word)).length);
}
