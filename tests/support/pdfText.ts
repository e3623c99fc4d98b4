/** A piece of text drawn on a page, where pdf.js found it: x and y from the page's bottom left, in points, and its font size. */
export interface PlacedText {
  str: string;
  x: number;
  y: number;
  size: number;
}

/** The running footer's band: text this close to the page's foot is the footer, not content. */
const FOOTER_POINTS = 40;

/** Every page's text, as pdf.js reads it (text positions), each item placed; empty strings left out. */
export async function readPdfText(bytes: Uint8Array): Promise<PlacedText[][]> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: PlacedText[][] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const items = (await (await pdf.getPage(n)).getTextContent()).items as { str?: string; transform?: number[] }[];
      pages.push(items.flatMap((item) => (item.str?.trim() && item.transform ? [{ str: item.str, x: item.transform[4]!, y: item.transform[5]!, size: Math.abs(item.transform[3]!) }] : [])));
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/** A page's content: its text above the running footer. */
export function contentOf(page: readonly PlacedText[]): PlacedText[] {
  return page.filter((item) => item.y > FOOTER_POINTS);
}

/** A page's text top to bottom, left to right, joined with spaces (for finding words that wrap over lines or items). */
export function pageWords(page: readonly PlacedText[]): string {
  return [...page].sort((a, b) => b.y - a.y || a.x - b.x).map((item) => item.str).join(" ").replace(/\s+/g, " ");
}
