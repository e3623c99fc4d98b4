/**
 * The instant a local calendar day starts in a time zone (handles daylight-saving offsets).
 *
 * @example startOfLocalDay("2025-02-21", "Europe/London").toISOString() // "2025-02-21T00:00:00.000Z"
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return localTimeToInstant(date, "00:00", timeZone);
}

/**
 * The instant at which a wall-clock time on a date occurs in a time zone.
 *
 * @example localTimeToInstant("2025-03-31", "09:00", "Europe/London").toISOString() // "2025-03-31T08:00:00.000Z"
 */
export function localTimeToInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  let instant = wall - offsetMs(new Date(wall), timeZone);
  instant = wall - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
