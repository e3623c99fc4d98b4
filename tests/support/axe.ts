import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** The WCAG 2.2 A and AA rules of axe-core (2.0, 2.1 and 2.2 levels A and AA). */
export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

let source: string | undefined;

/**
 * axe-core's violations of the WCAG 2.2 A and AA rules on the page as loaded, each as "rule:
 * element (what to fix)", run in the page's own Chromium (the one compute prints with). Empty
 * when there are none. Rules axe cannot decide (for example contrast over a chart) are not
 * violations: a person checks those (see the README's accessibility section).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  source ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  return page.evaluate(async (tags) => {
    type Result = { violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[] };
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<Result> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: "tag", values: tags } });
    return result.violations.flatMap((rule) => rule.nodes.map((node) => `${rule.id}: ${node.target.join(" ")} (${(node.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 200)})`));
  }, WCAG_22_AA);
}

/**
 * How far the page scrolls sideways at `width` CSS pixels (0: it reflows). 320 px is a 1280 px
 * window at 400% zoom (WCAG 1.4.10, reflow); wide tables scroll in their own box instead.
 */
export async function sidewaysScroll(page: Page, width: number): Promise<number> {
  await page.setViewportSize({ width, height: 800 });
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
