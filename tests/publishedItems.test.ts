import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { useExampleRuntime } from "./support/harness.ts";

// docs/published-items.md maps every published figure and table to the file that reproduces
// it. Each row is checked here against the example cycles' published versions.
const runtime = useExampleRuntime();

/** One row of the docs' table: a published item, its file, the lines to find in it, and other files that must exist. */
interface PublishedItem {
  item: string;
  file: string;
  lines: { label: string; numbers: string[] }[];
  also: string[];
}

/** The rows of docs/published-items.md's table. */
function publishedItems(): PublishedItem[] {
  const markdown = readFileSync(new URL("../docs/published-items.md", import.meta.url), "utf8");
  const rows = markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Published item") && !line.startsWith("| ---"));
  return rows.map((row) => {
    const [item, file, numbers, also] = row.split(" | ").map((cell) => cell.replace(/^\| /, "").replace(/ \|$/, "").trim());
    const quoted = (cell: string | undefined) => [...(cell ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return {
      item: item!,
      file: quoted(file)[0]!,
      lines: quoted(numbers).map((line) => {
        const colon = line.lastIndexOf(": ");
        return { label: line.slice(0, colon), numbers: line.slice(colon + 2).split(" ") };
      }),
      also: quoted(also),
    };
  });
}

/** Whether a cycle's published version holds the file (`{cycleId}/{name}`), and where. */
async function publishedKey(path: string): Promise<string | undefined> {
  const [cycleId, ...rest] = path.split("/");
  const name = rest.join("/");
  const publication = await runtime().ledger.published(cycleId!);
  return publication?.files?.includes(name) ? `${publication.folder}/${name}` : undefined;
}

/** A file of a cycle's published version, as text, or undefined when the version has no such file. */
async function publishedText(path: string): Promise<string | undefined> {
  const key = await publishedKey(path);
  return key === undefined ? undefined : (await runtime().store.getText(key))?.replace(/^\uFEFF/, "");
}

/** The file's lines as cells: a CSV's rows, or an HTML page's paragraphs, list items, headings and table rows as one cell each. */
function linesOf(path: string, text: string): string[][] {
  if (path.endsWith(".csv")) return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const blocks = text.replace(/<\/(p|li|tr|h[1-6]|caption|figcaption|td|th)>/g, (tag) => (tag.startsWith("</t") ? "\t" : "\n")).replace(/<[^>]+>/g, "");
  return blocks.split("\n").map((line) => [line.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"').trim()]);
}

/** The numbers on a line, as written, with thousands separators and % signs dropped. */
function numbersOn(cells: string[]): string[] {
  return cells.flatMap((cell) => [...cell.matchAll(/-?\d[\d,]*(?:\.\d+)?%?/g)].map((m) => canonical(m[0])));
}

const canonical = (number: string) => number.replace(/,(?=\d{3})/g, "").replace(/%$/, "");

/** Whether `wanted` appears in `found` in order (other numbers may come between). */
function inOrder(wanted: string[], found: string[]): boolean {
  let at = 0;
  for (const number of found) if (number === wanted[at]) at += 1;
  return at === wanted.length;
}

describe("every published item comes out of the pipeline as docs/published-items.md says", () => {
  const items = publishedItems();

  it("lists items, each with a file and numbers", () => {
    expect(items.length).toBeGreaterThan(4);
    for (const item of items) expect(item.lines.length, item.item).toBeGreaterThan(0);
  });

  it.each(items.map((item) => [item.item, item] as const))("%s", async (_name, item) => {
    const text = await publishedText(item.file);
    expect(text, `${item.file} is published`).toBeDefined();
    const lines = linesOf(item.file, text!);
    for (const { label, numbers } of item.lines) {
      const wanted = numbers.map(canonical);
      // A label of several parts ("Item & Group") needs a cell starting with each.
      const parts = label.toLowerCase().split(" & ");
      const line = lines.find((cells) => parts.every((part) => cells.some((cell) => cell.toLowerCase().startsWith(part))) && inOrder(wanted, numbersOn(cells)));
      expect(line, `${item.file}: a line starting "${label}" with ${numbers.join(" ")}`).toBeDefined();
    }
    for (const other of item.also) expect(await publishedKey(other), `${other} is published`).toBeDefined();
  });
});
