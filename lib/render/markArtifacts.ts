import { type ContentOperator, contentOperators } from "./contentOperators.ts";

/** Path construction operators (ISO 32000-1, table 59). */
const PATH = new Set(["m", "l", "c", "v", "y", "h", "re"]);
/** Path painting operators that draw (`n` only ends a clipping path). */
const PAINT = new Set(["S", "s", "f", "F", "f*", "B", "B*", "b", "b*"]);
/** Operators that draw on their own: an XObject, a shading, an inline image. */
const DRAW = new Set(["Do", "sh", "BI"]);

/** A run of drawing that no tag claims: text (the running header and footer) or a graphic. */
interface Untagged {
  start: number;
  end: number;
  text: boolean;
}

const PAGINATION = Buffer.from("/Artifact <</Type /Pagination>> BDC\n", "latin1");
const OTHER = Buffer.from("/Artifact BMC\n", "latin1");
const END = Buffer.from("\nEMC\n", "latin1");

/**
 * Marks every piece of drawing in a tagged page's content stream that belongs to no tag as an
 * artifact, so that a screen reader skips it and a checker finds no untagged content. Chromium
 * tags what the page's accessibility tree holds and leaves the rest unmarked: the running
 * header and footer (its print templates), backgrounds and borders. Untagged text objects are
 * the running header and footer, marked pagination artifacts; untagged graphics plain ones.
 * What is tagged is left as it is.
 * @example markArtifacts(Buffer.from("BT (Page 1) Tj ET")) // "/Artifact <</Type /Pagination>> BDC\nBT (Page 1) Tj ET\nEMC\n"
 */
export function markArtifacts(content: Uint8Array): Buffer {
  const runs = untaggedRuns(contentOperators(content));
  const parts: Buffer[] = [];
  let at = 0;
  for (const run of runs) {
    parts.push(Buffer.from(content.subarray(at, run.start)), run.text ? PAGINATION : OTHER, Buffer.from(content.subarray(run.start, run.end)), END);
    at = run.end;
  }
  parts.push(Buffer.from(content.subarray(at)));
  return Buffer.concat(parts);
}

/**
 * The runs drawn outside any marked content: whole text objects (BT … ET) with no marked content
 * inside, paths from their first construction operator to the one that paints them, and
 * XObjects, shadings and inline images. Text objects one after another, with nothing drawn or
 * marked between them, are one run (one footer, not one artifact per word).
 */
function untaggedRuns(operators: readonly ContentOperator[]): Untagged[] {
  const runs: Untagged[] = [];
  let depth = 0;
  let text: { start: number; marked: boolean } | undefined;
  let path: number | undefined;
  let joinable = false;
  const add = (run: Untagged) => {
    const last = runs.at(-1);
    if (joinable && run.text && last?.text) last.end = run.end;
    else runs.push(run);
    joinable = run.text;
  };
  for (const { op, start, end } of operators) {
    if (op === "BMC" || op === "BDC" || op === "EMC") {
      depth += op === "EMC" ? -1 : 1;
      if (text) text.marked = true;
      path = undefined;
      joinable = false;
    } else if (op === "BT") {
      text = depth === 0 ? { start, marked: false } : undefined;
    } else if (op === "ET") {
      if (text && !text.marked && depth === 0) add({ start: text.start, end, text: true });
      text = undefined;
    } else if (depth === 0 && text === undefined) {
      if (PATH.has(op)) path ??= start;
      else if (PAINT.has(op) && path !== undefined) add({ start: path, end, text: false });
      else if (DRAW.has(op)) add({ start, end, text: false });
      if (!PATH.has(op)) path = undefined;
    }
  }
  return runs;
}
