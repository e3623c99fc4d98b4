import erfc from "@stdlib/math-base-special-erfc";

/**
 * P(Z > z) for a standard normal Z, accurate far into the tail (R's `pnorm(z, lower.tail = FALSE)`).
 *
 * @example normalUpperTail(1.959963984540054) // 0.025
 */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
