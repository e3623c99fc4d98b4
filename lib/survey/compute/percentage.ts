/**
 * The display percentage of n out of base: 100 x n / base rounded half up, in exact integer
 * arithmetic (so 78 of 80 = 97.5% shows as 98%).
 *
 * @example displayPercentage(78, 80) // 98
 */
export function displayPercentage(n: number, base: number): number {
  return Math.floor((200 * n + base) / (2 * base));
}

/**
 * Rounds a percentage given as a proportion half up to a whole percent, tolerating the
 * floating-point error of averaging (0.895 → 90).
 *
 * @example percentageOfProportion(0.8954) // 90
 */
export function percentageOfProportion(proportion: number): number {
  return Math.floor(proportion * 100 + 0.5 + 1e-9);
}
