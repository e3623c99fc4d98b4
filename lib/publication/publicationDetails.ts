/** Who publishes the statistics and who answers questions on them, as the covers and reports say. */
export const PUBLISHER = {
  organisation: "Skills for Care",
  contact: "The ASYE team at Skills for Care, who run the annual survey and the registration platform",
} as const;

/**
 * A date (and optionally the time) in words, in the cycle's time zone, as a reader writes it:
 * "3 December 2026", "3 December 2026 at 14:05".
 *
 * @example dateInWords("2026-12-03T14:05:00Z", "Europe/London") // "3 December 2026"
 */
export function dateInWords(iso: string, timeZone: string, withTime = false): string {
  const at = new Date(iso);
  const date = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(at);
  if (!withTime) return date;
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
  return `${date} at ${time}`;
}
