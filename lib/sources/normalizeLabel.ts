/**
 * The form in which labels and headers are compared when they are not identical: Unicode
 * NFKC (non-breaking spaces, full-width letters), curly quotes and primes to straight ones,
 * dashes to `-`, runs of whitespace to one space, trimmed, case ignored. So `Don’t know`
 * matches `Don't know`, and `Neither agree nor disagree ` matches too.
 *
 * @example normalizeLabel("  Don’t\u00a0KNOW ") // "don't know"
 */
export function normalizeLabel(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
