import type { Page } from "playwright-core";
import { printTaggedPdf } from "../../lib/render/renderWithChromium.ts";

/** A node of a page's structure tree as pdf.js gives it: an element (role, children, alternative text) or marked content. */
interface StructNode {
  role?: string;
  alt?: string;
  lang?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

/** One element of the structure tree, with the text of the marked content it holds. */
export interface TaggedElement {
  role: string;
  alt: string | undefined;
  text: string;
  children: TaggedElement[];
}

/** A bookmark and the bookmarks under it. */
export interface Bookmark {
  title: string;
  children: Bookmark[];
}

/** What a screen reader gets from a PDF: the document's properties, its bookmarks, and the structure tree page by page. */
export interface PdfAccessibility {
  pages: number;
  tagged: boolean;
  language: string | undefined;
  title: string | undefined;
  displayDocTitle: boolean;
  bookmarks: Bookmark[];
  /** Each page's top-level elements (an element on two pages is given on both). */
  structure: TaggedElement[][];
  /** Text drawn outside any marked content, per page (a reader cannot tell it from content). */
  untaggedText: string[];
  /** Text marked as an artifact, per page (the running header and footer). */
  artifactText: string[];
}

type PdfDocument = Awaited<ReturnType<typeof import("pdfjs-dist/legacy/build/pdf.mjs").getDocument>["promise"]>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

/**
 * Reads a PDF back as assistive technology does, with pdf.js: whether it is tagged, its
 * language and title (and whether a reader shows the title as the window's), its bookmarks,
 * each page's structure tree with the text of every element, and the text outside the tags.
 */
export async function readPdfAccessibility(bytes: Uint8Array): Promise<PdfAccessibility> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // Errors only: Chromium's ViewerPreferences carry a /Type that pdf.js warns of on every read.
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const [markInfo, metadata, preferences, outline] = await Promise.all([pdf.getMarkInfo(), pdf.getMetadata(), pdf.getViewerPreferences(), pdf.getOutline()]);
    const info = metadata.info as { Title?: string; Language?: string };
    const result: PdfAccessibility = {
      pages: pdf.numPages,
      tagged: markInfo?.Marked === true,
      language: info.Language,
      title: info.Title,
      displayDocTitle: (preferences as { DisplayDocTitle?: boolean } | null)?.DisplayDocTitle === true,
      bookmarks: bookmarksOf(outline ?? []),
      structure: [],
      untaggedText: [],
      artifactText: [],
    };
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const text = await markedText(page);
      const tree = (await page.getStructTree()) as StructNode | null;
      result.structure.push((tree?.children ?? []).map((node) => element(node, text.byId)));
      result.untaggedText.push(text.untagged.trim());
      result.artifactText.push(text.artifacts.trim());
    }
    return result;
  } finally {
    await pdf.destroy();
  }
}

function bookmarksOf(items: readonly { title: string; items: unknown[] }[]): Bookmark[] {
  return items.map((item) => ({ title: item.title, children: bookmarksOf(item.items as { title: string; items: unknown[] }[]) }));
}

/** A structure node as an element with the text of its marked content (children's included). */
function element(node: StructNode, text: ReadonlyMap<string, string>): TaggedElement {
  const children = (node.children ?? []).filter((child) => child.role !== undefined).map((child) => element(child, text));
  const own = (node.children ?? []).map((child) => (child.type === "content" ? (text.get(child.id!) ?? "") : child.role !== undefined ? "\u0000" : ""));
  let k = 0;
  const joined = own.map((part) => (part === "\u0000" ? children[k++]!.text : part)).join("");
  return { role: node.role ?? "", alt: node.alt, text: joined.replace(/\s+/g, " "), children };
}

/** A page's text by marked-content id, and the text outside any marked content and inside artifacts. */
async function markedText(page: PdfPage): Promise<{ byId: Map<string, string>; untagged: string; artifacts: string }> {
  const content = await page.getTextContent({ includeMarkedContent: true });
  const byId = new Map<string, string>();
  const stack: { id: string | null; artifact: boolean }[] = [];
  let untagged = "";
  let artifacts = "";
  for (const item of content.items as { type?: string; tag?: string; id?: string | null; str?: string; hasEOL?: boolean }[]) {
    if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") {
      stack.push({ id: item.id ?? null, artifact: item.tag === "Artifact" || stack.at(-1)?.artifact === true });
    } else if (item.type === "endMarkedContent") {
      stack.pop();
    } else if (item.str !== undefined) {
      const str = item.str + (item.hasEOL ? " " : "");
      const open = stack.at(-1);
      if (open === undefined) untagged += str;
      else if (open.artifact) artifacts += str;
      else if (open.id !== null) byId.set(open.id, (byId.get(open.id) ?? "") + str);
    }
  }
  return { byId, untagged, artifacts };
}

/** Prints a report's HTML as compute and the report workers do (the same function, the same Chromium), for a kind whose example world is not printed. */
export async function printAsCompute(page: Page, html: string, title: string): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: "load" });
  return printTaggedPdf(page, title);
}

/** Every element of the tree, depth first in reading order. */
export function allElements(elements: readonly TaggedElement[]): TaggedElement[] {
  return elements.flatMap((e) => [e, ...allElements(e.children)]);
}

/**
 * Every element of a role in reading order, each once with its parts: pdf.js gives each page's
 * tree on its own, so an element that runs on from one page to the next (a long table, a tall
 * figure) is given on both. A part runs on from the last element of the page before when it
 * opens its page (nothing but the elements holding it comes before it) and `continues` says so:
 * a figure's later part has the same alternative text.
 */
export function elementsOf(pdf: PdfAccessibility, role: string, continues: (part: TaggedElement, previous: TaggedElement) => boolean): TaggedElement[][] {
  const elements: TaggedElement[][] = [];
  let previousPageLast: TaggedElement | undefined;
  for (const page of pdf.structure) {
    const all = allElements(page);
    let first = true;
    all.forEach((element, i) => {
      if (element.role !== role) return;
      const opensPage = first && all.slice(0, i).every((before) => allElements(before.children).includes(element));
      first = false;
      if (opensPage && previousPageLast && continues(element, previousPageLast)) elements.at(-1)!.push(element);
      else elements.push([element]);
    });
    previousPageLast = all.filter((element) => element.role === role).at(-1) ?? undefined;
  }
  return elements;
}

/** The alternative text of every figure in reading order, each once ({@link elementsOf}). */
export function figureAlts(pdf: PdfAccessibility): (string | undefined)[] {
  return elementsOf(pdf, "Figure", (part, previous) => part.alt !== undefined && part.alt === previous.alt).map((parts) => parts[0]!.alt);
}

/** What the PDF should say of itself. */
export interface PdfExpectations {
  language: string;
  title: string;
  /** The running footer of page n (of `pages`). */
  footer: (n: number, pages: number) => string;
}

/**
 * What an accessibility reviewer would find wrong with the PDF, in words (empty when nothing):
 * not tagged; the wrong language or title, or a title not shown as the window's; headings that
 * skip a level or do not start at H1; a top-level heading (H1, H2) with no bookmark; a figure
 * with no alternative text; a table with no header cell; text outside the tags, or a running
 * footer not marked as an artifact.
 */
export function pdfProblems(pdf: PdfAccessibility, expected: PdfExpectations): string[] {
  const problems: string[] = [];
  if (!pdf.tagged) problems.push("not tagged (no MarkInfo /Marked true)");
  if (pdf.language !== expected.language) problems.push(`language ${pdf.language} instead of ${expected.language}`);
  if (pdf.title !== expected.title) problems.push(`title "${pdf.title}" instead of "${expected.title}"`);
  if (!pdf.displayDocTitle) problems.push("the title is not shown as the window's title (DisplayDocTitle)");
  const elements = pdf.structure.flatMap((page) => allElements(page));
  problems.push(...headingProblems(elements, pdf.bookmarks));
  elements.filter((e) => e.role === "Figure" && !e.alt?.trim()).forEach((e, i) => problems.push(`a figure with no alternative text (figure ${i + 1} without: "${e.text.slice(0, 60)}")`));
  // Per page: Chromium repeats (and tags) a table's header row on each page it runs onto; a part
  // that is only the caption, left at the foot of a page, has no rows to head.
  for (const table of elements.filter((e) => e.role === "Table" && e.children.some((child) => child.role === "TR"))) {
    if (!allElements(table.children).some((e) => e.role === "TH")) problems.push(`a table with no header cell: "${table.text.slice(0, 60)}"`);
  }
  pdf.untaggedText.forEach((text, i) => text && problems.push(`page ${i + 1}: text outside the tags: "${text.slice(0, 80)}"`));
  pdf.artifactText.forEach((text, i) => {
    const footer = expected.footer(i + 1, pdf.pages).replace(/\s+/g, "");
    if (text.replace(/\s+/g, "") !== footer) problems.push(`page ${i + 1}: the artifacts are "${text}", not the running footer`);
  });
  return problems;
}

/** Headings that start below H1 or skip a level, and H1-H2 headings with no bookmark of the same words. */
function headingProblems(elements: readonly TaggedElement[], bookmarks: readonly Bookmark[]): string[] {
  const problems: string[] = [];
  const headings = elements.filter((e) => /^H[1-6]$/.test(e.role));
  let level = 0;
  for (const heading of headings) {
    const next = Number(heading.role.slice(1));
    if (next > level + 1) problems.push(`${heading.role} "${heading.text}" after ${level === 0 ? "no heading" : `H${level}`}`);
    level = next;
  }
  const marks = new Set(flatBookmarks(bookmarks).map(words));
  for (const heading of headings.filter((h) => h.role === "H1" || h.role === "H2")) {
    if (!marks.has(words(heading.text))) problems.push(`no bookmark for ${heading.role} "${heading.text}"`);
  }
  if (headings.length === 0) problems.push("no headings");
  return problems;
}

function flatBookmarks(bookmarks: readonly Bookmark[]): string[] {
  return bookmarks.flatMap((b) => [b.title, ...flatBookmarks(b.children)]);
}

const words = (text: string) => text.replace(/\s+/g, "");
