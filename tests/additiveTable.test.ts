import { describe, expect, it } from "vitest";
import { decideAdditiveTable, type TableCell } from "../lib/privacy/additiveTable.ts";
import { seededRandom } from "../scripts/seededRandom.ts";
import { pinnedCells } from "./support/pinnedCells.ts";

/** The audit of one table as published: nothing to work out where the total is hidden. */
function audit(parts: readonly TableCell[], unpublished: readonly TableCell[], totalShown: boolean, hidden: ReadonlySet<string>, threshold: number): string[] {
  return totalShown ? pinnedCells(parts.filter((p) => hidden.has(p.name)), unpublished, threshold) : [];
}

function cell(name: string, base: number, ...counts: number[]): TableCell {
  return { name, base, counts };
}

describe("disclosure control of an additive table", () => {
  it("(a) hides all groups when the hidden groups together reach the threshold but all answered positively", () => {
    const parts = [cell("leads", 29, 29), cell("assessors", 12, 12), cell("nqsws", 20, 20), cell("others", 50, 31)];
    const decision = decideAdditiveTable(parts, [], 30, "hide-total");
    expect([...decision.hiddenParts.keys()]).toEqual(["leads", "assessors", "nqsws"]);
    expect(decision.totalHidden).toBe(true);
    // Before: the old rule showed all groups, and the audit pins each hidden group at 100%.
    expect(audit(parts, [], true, new Set(decision.hiddenParts.keys()), 30)).toHaveLength(3);
    expect(audit(parts, [], !decision.totalHidden, new Set(decision.hiddenParts.keys()), 30)).toEqual([]);
  });

  it("(b) hides the smallest shown subgroup, not the group, when the hidden subgroups are all positive", () => {
    const parts = [cell("a", 3, 3), cell("b", 28, 28), cell("c", 40, 33)];
    const decision = decideAdditiveTable(parts, [], 30, "hide-parts");
    expect(Object.fromEntries(decision.hiddenParts)).toEqual({ a: "base-below-threshold", b: "base-below-threshold", c: "complementary" });
    expect(decision.totalHidden).toBe(false);
    expect(audit(parts, [], true, new Set(decision.hiddenParts.keys()), 30)).toEqual([]);
  });

  it("(c) hides all groups of open text when a code is mentioned by none, or by all, of the hidden groups", () => {
    const none = [cell("leads", 14, 0, 9), cell("assessors", 18, 0, 12), cell("nqsws", 60, 20, 30)];
    expect(decideAdditiveTable(none, [], 30, "hide-total").totalHidden).toBe(true);
    const all = [cell("leads", 14, 14, 9), cell("assessors", 18, 18, 12), cell("nqsws", 60, 20, 30)];
    expect(decideAdditiveTable(all, [], 30, "hide-total").totalHidden).toBe(true);
    const mixed = [cell("leads", 14, 3, 9), cell("assessors", 18, 11, 12), cell("nqsws", 60, 20, 30)];
    expect(decideAdditiveTable(mixed, [], 30, "hide-total").totalHidden).toBe(false);
  });

  it("counts respondents who did not answer the subgroup question among the hidden", () => {
    // One subgroup of 3 hidden beside 30 unclassified respondents, 10 of them positive: protected.
    const parts = [cell("a", 3, 3), cell("b", 40, 30), cell("c", 35, 20)];
    const mixed = decideAdditiveTable(parts, [cell("not stated", 30, 10)], 30, "hide-parts");
    expect(mixed.hiddenParts.size).toBe(1);
    // Every subgroup shown, seven unclassified: they are never published, and protect no one.
    expect(decideAdditiveTable([cell("a", 70, 61), cell("b", 41, 27)], [cell("not stated", 7, 4)], 30, "hide-parts").hiddenParts.size).toBe(0);
    // With no one unclassified, the one hidden subgroup is the group minus the others.
    const alone = decideAdditiveTable(parts, [], 30, "hide-parts");
    expect(alone.hiddenParts.size).toBeGreaterThan(1);
  });

  it("says the parts cannot be published beside a total of 0% or 100% that would give a hidden part away", () => {
    const decision = decideAdditiveTable([cell("a", 5, 5), cell("b", 40, 40)], [], 30, "hide-parts");
    expect(decision.partsUnpublishable).toBe(true);
    // Every part at least the threshold: nothing is hidden, and 100% may stand.
    expect(decideAdditiveTable([cell("a", 30, 30), cell("b", 40, 40)], [], 30, "hide-parts")).toMatchObject({ partsUnpublishable: false, totalHidden: false });
  });

  it("leaves no hidden cell pinned, on 3,000 random tables with small cells, zeros and all-positive answers", () => {
    const next = seededRandom(20261203);
    const int = (max: number) => Math.floor(next() * (max + 1));
    for (let t = 0; t < 3_000; t++) {
      const threshold = 5 + int(10);
      const extreme = () => (next() < 0.3 ? (next() < 0.5 ? "none" : "all") : "some");
      const parts = Array.from({ length: 2 + int(3) }, (_, i) => {
        const base = int(2 * threshold);
        const counts = Array.from({ length: 1 + int(2) }, () => {
          const kind = extreme();
          return kind === "none" ? 0 : kind === "all" ? base : int(base);
        });
        return { name: `p${i}`, base, counts };
      });
      const attributes = parts[0]!.counts.length;
      for (const p of parts) p.counts = Array.from({ length: attributes }, (_, k) => p.counts[k] ?? int(p.base));
      const stated = int(4);
      const unpublished = next() < 0.3 ? [{ name: "not stated", base: stated, counts: Array.from({ length: attributes }, () => int(stated)) }] : [];
      for (const strategy of ["hide-total", "hide-parts"] as const) {
        const decision = decideAdditiveTable(parts, unpublished, threshold, strategy);
        if (decision.partsUnpublishable) continue;
        for (const p of parts) if (p.base < threshold) expect(decision.hiddenParts.has(p.name)).toBe(true);
        expect(audit(parts, unpublished, !decision.totalHidden, new Set(decision.hiddenParts.keys()), threshold), JSON.stringify({ parts, unpublished, threshold, strategy })).toEqual([]);
      }
    }
  });
});
