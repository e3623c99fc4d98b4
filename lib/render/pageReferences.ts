import type { Page } from "playwright-core";
import { readPdfLinks } from "./pdfLinks.ts";

/** At most this many prints of one page: the references settle in two, or three when a list is made to say it continues. */
const MAX_PRINTS = 4;

/** The little of the DOM the in-page code uses (this project compiles without the DOM's types). */
interface PageElement {
  textContent: string | null;
  className: string;
  classList: { add(name: string): void; contains(name: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  before(node: PageElement): void;
}

/** Where the first print put each linked element and each link: what the in-page code fills the references from. */
interface Placement {
  destinations: [string, number][];
  links: { page: number; destination: string }[];
}

/**
 * Prints a page with its page references filled in, since Chromium has no `target-counter()`:
 * each element with `data-page-of="id"` shows the page on which the element with that id was
 * printed (a contents entry's page), and a list with `data-continues="…"` whose entries run
 * onto another page says so at the foot of the page, the note's words that attribute's (a figure
 * index that does not fit its page). It prints, reads from the PDF where each linked element and
 * each link landed ({@link readPdfLinks}), fills the references in, and prints again until a
 * print agrees with the page (two prints; at most four). The references hold their width before
 * they are filled in (the stylesheet's job), so filling them moves nothing. A page with no
 * references is printed once.
 */
export async function printWithPageReferences(page: Page, print: () => Promise<Uint8Array>): Promise<Uint8Array> {
  if (!(await page.evaluate(hasPageReferences))) return print();
  let pdf = await print();
  for (let prints = 1; prints < MAX_PRINTS; prints++) {
    const { destinations, links } = readPdfLinks(pdf);
    if (!(await page.evaluate(fillPageReferences, { destinations: [...destinations], links }))) return pdf;
    pdf = await print();
  }
  return pdf;
}

/** In the page: whether it has any page reference or continuing list. */
function hasPageReferences(): boolean {
  const { document } = globalThis as unknown as { document: PageElement };
  return document.querySelector("[data-page-of], [data-continues]") !== null;
}

/**
 * In the page: fills each `data-page-of` reference with its element's page, and where a continuing
 * list's entries moved to a later page, ends the page before with the list's note (the entry
 * before the first one moved goes over too, to leave the note room). Says whether it changed
 * anything. Written without named inner functions: Playwright sends its source to the page.
 */
function fillPageReferences(placement: Placement): boolean {
  const { document } = globalThis as unknown as { document: PageElement & { createElement(tag: string): PageElement } };
  const pages = new Map(placement.destinations);
  let changed = false;
  for (const reference of Array.from(document.querySelectorAll("[data-page-of]"))) {
    const page = pages.get(reference.getAttribute("data-page-of") ?? "");
    const text = page === undefined ? "" : String(page);
    if (reference.textContent !== text) changed = true;
    reference.textContent = text;
  }
  const linkPages = new Map<string, number>();
  for (const link of placement.links) if (!linkPages.has(link.destination)) linkPages.set(link.destination, link.page);
  for (const list of Array.from(document.querySelectorAll("[data-continues]"))) {
    const entries = Array.from(list.querySelectorAll(":scope > li:not(.continues)"));
    let previous: number | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const page = linkPages.get((entry.querySelector("a[href^='#']")?.getAttribute("href") ?? "").slice(1));
      const moved = previous !== undefined && page !== undefined && page > previous;
      if (moved && i >= 2 && !entry.classList.contains("page-start") && !entries[i - 1]!.classList.contains("page-start")) {
        const note = document.createElement("li");
        note.className = "continues";
        note.textContent = list.getAttribute("data-continues");
        entries[i - 1]!.before(note);
        entries[i - 1]!.classList.add("page-start");
        changed = true;
      }
      previous = page ?? previous;
    }
  }
  return changed;
}
