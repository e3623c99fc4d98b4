import { chartFontPageCss } from "../report/embedChartFont.ts";
import { escapeHtml } from "../report/html.ts";
import type { Page } from "playwright-core";
import { launchChromium } from "./launchChromium.ts";
import { markArtifacts } from "./markArtifacts.ts";
import { printWithPageReferences } from "./pageReferences.ts";
import { rewritePageContents } from "./rewritePageContents.ts";

/** What Chromium makes of a report: its PDF, and a PNG of each figure (2x, for print). */
export interface RenderedReport {
  pdf: Uint8Array;
  pngs: Uint8Array[];
}

/**
 * Prints an HTML page to an A4 PDF in headless Chromium (the one from npm that Lambda runs), with
 * a footer on every page giving the title and "page N of M", and draws each figure's SVG to PNG
 * in the same browser. One browser per call, one page throughout: Lambda's single-process
 * Chromium does not survive closing a page.
 */
export async function renderWithChromium(html: string, title: string, figures: readonly string[]): Promise<RenderedReport> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2, viewport: { width: 700, height: 400 } });
    await page.setContent(html, { waitUntil: "load" });
    const pdf = await printTaggedPdf(page, title);
    const pngs: Uint8Array[] = [];
    for (const svg of figures) {
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff;font-family:sans-serif"><div id="figure" style="width:680px;padding:10px;font-size:12px">${svg}</div></body></html>`);
      await page.evaluate("document.fonts.ready.then(() => true)"); // the figure's embedded font, before the picture
      pngs.push(new Uint8Array(await page.locator("#figure").screenshot({ type: "png" })));
    }
    return { pdf, pngs };
  } finally {
    await browser.close();
  }
}

/**
 * Prints the page's content as a tagged PDF (PDF/UA's structure from the page's accessibility
 * tree: headings, paragraphs, lists, tables with header cells, figures with their alternative
 * text, the language from `<html lang>`, the title from `<title>` shown as the window's title),
 * with bookmarks from the headings and the running footer marked as an artifact. The charts'
 * font is added to the page first, so inline charts print in it. Page references (a contents
 * entry's page number) are filled in from a first print ({@link printWithPageReferences}).
 */
export async function printTaggedPdf(page: Page, title: string): Promise<Uint8Array> {
  await page.addStyleTag({ content: chartFontPageCss() }).then(() => page.evaluate("document.fonts.ready.then(() => true)")); // charts in the font they are laid out for
  const pdf = await printWithPageReferences(page, async () => new Uint8Array(await page.pdf(pdfOptions(title))));
  return rewritePageContents(pdf, markArtifacts);
}

/** A4, tagged, with bookmarks, and a footer on every page: the title and "page N of M". */
export function pdfOptions(title: string): Parameters<Page["pdf"]>[0] {
  return {
    format: "A4",
    tagged: true,
    outline: true,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    footerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;font-family:sans-serif;color:#4d4d4d"><span>${escapeHtml(title)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
  };
}
