/**
 * Disclosure control for one additive table: parts (groups, or a group's subgroups) whose counts
 * add up to a total that is published beside them (all groups, or the group itself).
 *
 * Each cell is a set of respondents with a base and a count for each attribute published about
 * it (positive answers; each code's mentions; each option's choices). A reader who has the total
 * and the shown parts knows, for the hidden parts taken together, their base B and each count N
 * (total minus shown). The hidden parts are protected only when none of them can be worked out
 * from that:
 * - more than one part is hidden (one hidden part is the total minus the others);
 * - together they reach the threshold (else B and N are a small set's figure);
 * - no count is 0 or B (else every hidden respondent has, or lacks, that attribute: each hidden
 *   part is 0% or 100%).
 *
 * Primary suppression hides each part whose base is under the threshold. When the hidden parts
 * are not protected, secondary suppression either hides the total (for all groups, a derived
 * figure: the groups' own figures stay) or hides shown parts, smallest base first, until they
 * are (for subgroups: the group's own figure stays). When even every part hidden is not enough
 * (the total itself is 0% or 100% of its base, so it gives each part away), the decision says
 * the parts cannot be published beside the total.
 */

/** One cell of the table: its base and its count of each attribute (same attributes in every cell). */
export interface TableCell {
  name: string;
  base: number;
  counts: readonly number[];
}

/** Why a cell is hidden. */
export type HiddenReason = "base-below-threshold" | "complementary";

/** Which cells of the table are published. */
export interface TableDecision {
  /** Hidden parts, by name, with why. */
  hiddenParts: Map<string, HiddenReason>;
  /** Set when the total is hidden to protect hidden parts. */
  totalHidden: boolean;
  /** No choice of parts to hide protects them beside the total (with the unpublished cells, it is 0% or 100% on some attribute, or it has one part). */
  partsUnpublishable: boolean;
  /** The parts under the threshold (what the secondary suppression protects). */
  small: string[];
}

/** How a table whose hidden parts are not protected is made safe. */
export type SecondaryStrategy = "hide-total" | "hide-parts";

/**
 * Decides which parts of an additive table are shown, and whether the total is, so that no
 * hidden part can be worked out from what is published. `unpublished` cells belong to the
 * total but are never shown (respondents who did not answer the subgroup question): they need
 * no protection of their own, and count among the cells a reader cannot tell apart.
 *
 * @example decideAdditiveTable([{ name: "a", base: 29, counts: [29] }, { name: "b", base: 40, counts: [30] }], [], 30, "hide-total") // total hidden
 */
export function decideAdditiveTable(
  parts: readonly TableCell[],
  unpublished: readonly TableCell[],
  threshold: number,
  strategy: SecondaryStrategy,
): TableDecision {
  const hiddenParts = new Map<string, HiddenReason>();
  for (const part of parts) if (part.base < threshold) hiddenParts.set(part.name, "base-below-threshold");
  const small = [...hiddenParts.keys()];
  const hiddenCells = () => parts.filter((part) => hiddenParts.has(part.name));
  if (isProtected(hiddenCells(), unpublished, threshold)) return { hiddenParts, totalHidden: false, partsUnpublishable: false, small };
  if (strategy === "hide-total") return { hiddenParts, totalHidden: true, partsUnpublishable: false, small };
  const shown = parts.filter((part) => !hiddenParts.has(part.name)).sort((a, b) => a.base - b.base);
  for (const part of shown) {
    hiddenParts.set(part.name, "complementary");
    if (isProtected(hiddenCells(), unpublished, threshold)) return { hiddenParts, totalHidden: false, partsUnpublishable: false, small };
  }
  return { hiddenParts, totalHidden: false, partsUnpublishable: true, small };
}

/**
 * Whether hidden parts are protected, given that a reader knows their combined base and counts
 * with those of the unpublished cells (total minus shown parts): no hidden part (with
 * respondents), or hidden and unpublished cells that are more than one, together reach the
 * threshold, and have no count at 0 or at their combined base. Then, even knowing every cell's
 * base, each hidden part's count could take at least two values, none pinned at 0% or 100%.
 * Unpublished cells are never shown, so they need no protection of their own: they only add
 * what a reader cannot tell apart.
 */
export function isProtected(hiddenParts: readonly TableCell[], unpublished: readonly TableCell[], threshold: number): boolean {
  // An empty cell hides no one (a reader may know it is empty from the response counts).
  if (!hiddenParts.some((cell) => cell.base > 0)) return true;
  const hidden = [...hiddenParts, ...unpublished].filter((cell) => cell.base > 0);
  if (hidden.length === 1) return false;
  const base = hidden.reduce((sum, cell) => sum + cell.base, 0);
  if (base < threshold) return false;
  const attributes = hidden[0]!.counts.length;
  for (let k = 0; k < attributes; k++) {
    const n = hidden.reduce((sum, cell) => sum + (cell.counts[k] ?? 0), 0);
    if (n === 0 || n === base) return false;
  }
  return true;
}
