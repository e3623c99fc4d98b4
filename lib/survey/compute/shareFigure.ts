import type { Share, ShownShare, Suppressed } from "../results/resultsSchema.ts";
import { wilsonInterval } from "../../stats/wilsonInterval.ts";
import { displayPercentage } from "./percentage.ts";

/**
 * A share of n out of base, or a suppressed figure when the base is under the threshold
 * (a suppressed figure carries neither n nor base).
 *
 * @example shareFigure(43, 52, 30) // { suppressed: false, n: 43, base: 52, proportion: 0.8269…, percentage: 83 }
 */
export function shareFigure(n: number, base: number, threshold: number): Share {
  if (base < threshold) return belowThreshold(threshold);
  return shownShare(n, base);
}

/** A shown share with its display percentage and Wilson 95% interval. */
export function shownShare(n: number, base: number): ShownShare {
  return {
    suppressed: false,
    n,
    base,
    proportion: n / base,
    percentage: displayPercentage(n, base),
    interval95: wilsonInterval(n, base),
  };
}

/** The suppression marker for a base under the threshold. */
export function belowThreshold(threshold: number): Suppressed {
  return {
    suppressed: true,
    reason: "base-below-threshold",
    note: `n<${threshold}: base under the suppression threshold`,
  };
}

/**
 * The suppression marker for a figure hidden to protect others (secondary suppression): shown,
 * it and the figures beside it would give `hidden` away, exactly or as 0% or 100%.
 */
export function complementary(threshold: number, hidden: string): Suppressed {
  return {
    suppressed: true,
    reason: "complementary",
    note: `hidden so that ${hidden} (hidden: n<${threshold}, or to protect it) cannot be worked out from the figures beside it`,
  };
}
