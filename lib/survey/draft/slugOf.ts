import { normalizeLabel } from "../../sources/normalizeLabel.ts";

/**
 * An id for the cycle file (lower-case letters, digits and dashes) from a text: its first words,
 * at most `max` characters.
 *
 * @example slugOf("Skills for Care's tools, resources and guidance") // "skills-for-cares-tools-resources-and"
 */
export function slugOf(text: string, max = 48): string {
  const words = normalizeLabel(text)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f']/gu, "")
    .replace(/[^a-z0-9]+/gu, " ")
    .trim()
    .split(" ")
    .filter((word) => word !== "");
  let slug = "";
  for (const word of words) {
    const longer = slug === "" ? word : `${slug}-${word}`;
    if (longer.length > max) break;
    slug = longer;
  }
  return slug === "" ? (words[0] ?? "").slice(0, max) : slug;
}

/**
 * {@link slugOf} the text, made unique among `taken` (which it joins) by a number:
 * `website-resources`, `website-resources-2`, … An empty slug becomes `fallback`.
 */
export function uniqueSlug(text: string, taken: Set<string>, fallback: string): string {
  const base = slugOf(text) || fallback;
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}
