import type { RagBand } from "./evaluationConfig.ts";

/**
 * Rounds to one decimal, halves away from zero, treating a value within 1e-9 of a half as the
 * half (3.95 computed as 3.9499999999999997 still shows as 4.0), as the published tables show.
 *
 * @example toOneDecimal(3.95) // 4
 */
export function toOneDecimal(value: number): number {
  const scaled = value * 10;
  const rounded = Math.sign(scaled) * Math.floor(Math.abs(scaled) + 0.5 + 1e-9);
  return rounded / 10 + 0; // + 0 turns -0 into 0
}

/**
 * The RAG band of an average, judged on the value as shown (one decimal): so 1.95 shows as
 * 2.0 and is amber, 3.95 shows as 4.0 and is green. Below the first band (a 0 score) is red.
 *
 * @example ragBand(3.95, bands).id // "green"
 */
export function ragBand(average: number, bands: readonly RagBand[]): RagBand {
  const shown = toOneDecimal(average);
  let band = bands[0]!;
  for (const candidate of bands) if (shown >= candidate.from - 1e-9) band = candidate;
  return band;
}
