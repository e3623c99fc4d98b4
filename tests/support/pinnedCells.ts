import type { TableCell } from "../../lib/privacy/additiveTable.ts";

/**
 * An exact audit of one published table, independent of the rule it checks: a reader who knows
 * the threshold, every shown cell, the total, and (worst case) every hidden cell's base
 * enumerates every count each hidden cell could have. Returns the hidden cells pinned to one
 * value (worked out, or narrowed to 0% or 100%), per attribute, and hidden cells together under
 * the threshold. Unpublished cells (no subgroup given) are unknowns beside them, not audited.
 */
export function pinnedCells(hidden: readonly TableCell[], unpublished: readonly TableCell[], threshold: number): string[] {
  const audited = hidden.filter((c) => c.base > 0);
  const cells = [...audited, ...unpublished.filter((c) => c.base > 0)];
  if (audited.length === 0) return [];
  const found: string[] = [];
  const combinedBase = cells.reduce((sum, c) => sum + c.base, 0);
  if (combinedBase < threshold) found.push(`${audited.map((c) => c.name).join("+")} together under the threshold (${combinedBase})`);
  for (let k = 0; k < cells[0]!.counts.length; k++) {
    const target = cells.reduce((sum, c) => sum + c.counts[k]!, 0);
    // The counts each hidden cell could have: those that leave a sum the other hidden cells can make.
    const feasible = cells.map((cell, j) => {
      let reachable = new Set([0]);
      for (const other of cells.filter((_, i) => i !== j)) {
        const next = new Set<number>();
        for (const sum of reachable) for (let n = 0; n <= other.base && sum + n <= target; n++) next.add(sum + n);
        reachable = next;
      }
      return new Set(Array.from({ length: cell.base + 1 }, (_, n) => n).filter((n) => reachable.has(target - n)));
    });
    audited.forEach((cell, j) => {
      if (feasible[j]!.size < 2) found.push(`${cell.name} pinned on attribute ${k}: ${[...feasible[j]!].join()}`);
    });
  }
  return found;
}
