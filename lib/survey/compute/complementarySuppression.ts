/** A part of a combined figure: its base, and whether it is suppressed. */
export interface Part {
  name: string;
  base: number;
  suppressed: boolean;
}

/**
 * Whether a combined figure (e.g. all groups together) must be hidden to protect suppressed
 * parts: subtracting the shown parts from the combined figure recovers the suppressed parts
 * taken together, so the combined figure is safe only when their combined base reaches the
 * threshold. Returns the names of the parts it protects, or undefined when it may be shown.
 *
 * @example protectsSuppressedParts([{ name: "nqsws", base: 20, suppressed: true }, …], 30) // ["nqsws"]
 */
export function protectsSuppressedParts(
  parts: readonly Part[],
  threshold: number,
): string[] | undefined {
  const suppressed = parts.filter((part) => part.suppressed);
  if (suppressed.length === 0) return undefined;
  const residual = suppressed.reduce((sum, part) => sum + part.base, 0);
  return residual < threshold ? suppressed.map((part) => part.name) : undefined;
}
