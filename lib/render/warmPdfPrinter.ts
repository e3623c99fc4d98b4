import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./launchChromium.ts";
import { printTaggedPdf } from "./renderWithChromium.ts";

let browser: Browser | undefined;
let page: Page | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Prints HTML to a tagged A4 PDF ({@link printTaggedPdf}) in one headless Chromium kept between calls: a Lambda container
 * that renders one organisation's report after another launches the browser once, not per
 * report. Calls in one process take turns on its one page (single-process Chromium does not
 * survive closing a page); a browser that has died is launched again.
 */
export function printPdf(html: string, title: string): Promise<Uint8Array> {
  const turn = queue.then(async () => {
    if (browser === undefined || !browser.isConnected()) {
      browser = await launchChromium();
      page = await browser.newPage();
    }
    await page!.setContent(html, { waitUntil: "load" });
    return printTaggedPdf(page!, title);
  });
  queue = turn.catch(() => undefined);
  return turn;
}

/** Closes the kept browser (at the end of a local run, so the process can exit). */
export async function closePdfPrinter(): Promise<void> {
  await queue;
  const open = browser;
  browser = undefined;
  page = undefined;
  await open?.close();
}
