/**
 * A moment as a reader in England writes it: the date in words and the time on the 24-hour
 * clock in Europe/London, the zone named (GMT in winter, BST in summer), never UTC.
 * The 360 reports' own formatter until the survey report's shared one is merged.
 *
 * @example londonTime("2026-12-03T15:20:00Z") // "3 December 2026, 15:20 GMT"
 * @example londonTime("2025-07-01T15:20:00Z") // "1 July 2025, 16:20 BST"
 */
export function londonTime(iso: string, timeZone = "Europe/London"): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
    timeZoneName: "short",
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("day")} ${part("month")} ${part("year")}, ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}
