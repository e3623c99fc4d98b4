import type { DateOrder } from "./sourceSchema.ts";

/** A date and time as written in an export, without its zone: enough to validate and order it. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;
const GOOGLE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?(?: (?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?)?$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;

/**
 * Reads a completion time in the forms survey tools write: ISO (`2025-01-20T10:15:00Z`,
 * `2025-01-20 10:15:32`), slashed dates in the source's order (UK `20/01/2025 10:15`, US
 * `1/20/2025 10:15:32 AM`), Google's `2025/01/20 10:15:32 AM GMT`, and Excel serial numbers
 * (`45677.427`, days since 1899-12-30). Returns undefined for anything else or an impossible date.
 *
 * @example parseDateTime("1/20/2025 1:05:00 PM", "mdy") // { year: 2025, month: 1, day: 20, hour: 13, minute: 5, second: 0 }
 */
export function parseDateTime(text: string, order: DateOrder): LocalDateTime | undefined {
  const value = text.trim();
  let match = ISO.exec(value);
  if (match) return checked(+match[1]!, +match[2]!, +match[3]!, +(match[4] ?? 0), +(match[5] ?? 0), +(match[6] ?? 0));
  match = SLASHED.exec(value);
  if (match) {
    const [first, second] = [+match[1]!, +match[2]!];
    const year = match[3]!.length === 2 ? 2000 + +match[3]! : +match[3]!;
    const [day, month] = order === "dmy" ? [first, second] : [second, first];
    const hour = twelveHour(+(match[4] ?? 0), match[7]);
    return hour === undefined ? undefined : checked(year, month, day, hour, +(match[5] ?? 0), +(match[6] ?? 0));
  }
  match = GOOGLE.exec(value);
  if (match) {
    const hour = twelveHour(+match[4]!, match[7]);
    return hour === undefined ? undefined : checked(+match[1]!, +match[2]!, +match[3]!, hour, +match[5]!, +match[6]!);
  }
  if (SERIAL.test(value)) return fromExcelSerial(Number(value));
  return undefined;
}

/** An Excel serial date (1900 system, days since 1899-12-30) as the wall-clock time it shows. */
export function fromExcelSerial(serial: number): LocalDateTime | undefined {
  if (!(serial > 0 && serial < 2958466)) return undefined;
  const ms = Math.round((serial - 25569) * 86_400_000);
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

function twelveHour(hour: number, meridiem: string | undefined): number | undefined {
  if (meridiem === undefined) return hour;
  if (hour < 1 || hour > 12) return undefined;
  const pm = meridiem.toLowerCase() === "pm";
  return (hour % 12) + (pm ? 12 : 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function checked(year: number, month: number, day: number, hour: number, minute: number, second: number): LocalDateTime | undefined {
  return isPossibleDateTime(year, month, day, hour, minute, second) ? { year, month, day, hour, minute, second } : undefined;
}

/** Whether the calendar has this day (leap years included) and the clock this time. */
export function isPossibleDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0);
}
