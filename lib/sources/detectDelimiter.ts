/** The field delimiters exports use. */
export const DELIMITERS = [",", ";", "\t"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * Guesses the delimiter from the first line of an export (outside quotes): the candidate
 * that appears most often, commas winning ties. Returns undefined until the text holds a
 * whole first line, unless `final`.
 */
export function detectDelimiter(text: string, final: boolean): Delimiter | undefined {
  const counts = [0, 0, 0];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) return pick(counts);
    else if (!quoted) {
      const index = DELIMITERS.indexOf(c as Delimiter);
      if (index >= 0) counts[index]!++;
    }
  }
  return final ? pick(counts) : undefined;
}

function pick(counts: number[]): Delimiter {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return DELIMITERS[best]!;
}
