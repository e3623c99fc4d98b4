/** The time zone every report states its times in unless the cycle names another. */
export const REPORT_TIME_ZONE = "Europe/London";

/**
 * An instant as people in the UK read it, in a named time zone (Europe/London by default, so
 * GMT in winter and BST in summer, named): the day, month in words, year, 24-hour time and the
 * zone's short name. Built from its parts, so the words do not depend on the ICU version's
 * pattern (some write "at", some a comma).
 *
 * @example formatDateTime("2025-07-01T09:05:00Z") // "1 July 2025 at 10:05 BST"
 * @example formatDateTime("2025-01-01T23:30:00Z") // "1 January 2025 at 23:30 GMT"
 * @example formatDateTime("2025-01-15T09:00:00Z", "Europe/London", { weekday: true }) // "Wednesday 15 January 2025 at 09:00 GMT"
 */
export function formatDateTime(instant: string | Date, timeZone: string = REPORT_TIME_ZONE, options: { weekday?: boolean } = {}): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    ...(options.weekday ? { weekday: "long" as const } : {}),
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
    timeZoneName: "short",
  }).formatToParts(typeof instant === "string" ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${part("day")} ${part("month")} ${part("year")}`;
  return `${options.weekday ? `${part("weekday")} ` : ""}${day} at ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}

/**
 * A calendar date (`YYYY-MM-DD`) as people write it. A date has no time zone: it is the same
 * day wherever it is read.
 *
 * @example formatLongDate("2025-02-21") // "21 February 2025"
 */
export function formatLongDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}
