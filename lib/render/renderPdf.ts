import { launchChromium } from "./launchChromium.ts";

/**
 * Prints an HTML page to an A4 PDF in headless Chromium (the one from npm that Lambda runs):
 * the page's print CSS, backgrounds kept, and a footer on every page with the title and
 * "page N of M". One browser per call: Lambda's single-process Chromium does not survive
 * closing a page.
 */
export async function renderPdf(html: string, title: string): Promise<Uint8Array> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;font-family:sans-serif;color:#4d4d4d"><span>${escapeText(title)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
    });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
