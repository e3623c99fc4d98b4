import { isPossibleDateTime } from "./parseDateTime.ts";
import type { DateOrder } from "./sourceSchema.ts";

const DASH = 0x2d;
const SLASH = 0x2f;
const COLON = 0x3a;
const SPACE = 0x20;
const COMMA = 0x2c;
const DOT = 0x2e;
const PLUS = 0x2b;
const T = 0x54;
const Z = 0x5a;

/**
 * Whether UTF-8 bytes [start, end) are, as they stand, a completion time that
 * {@link parseDateTime} accepts, in the two forms nearly every export uses: ISO
 * (`2025-01-20T10:15:00Z`, `2025-01-20 10:15:32.5+01:00`) and slashed dates in the source's
 * order with an optional time (`20/01/2025 10:15`, `1/20/2025, 1:05:00 PM`). It makes no string.
 * False means "not recognised here", not "invalid": anything else (spaces around it, Google's
 * form, Excel serials, impossible dates) is for parseDateTime to read and judge.
 */
export function isDateTimeBytes(bytes: Uint8Array, start: number, end: number, order: DateOrder): boolean {
  if (end - start >= 10 && bytes[start + 4] === DASH) return isIso(bytes, start, end);
  return isSlashed(bytes, start, end, order);
}

/**
 * The orders UTF-8 bytes [start, end) can be read in as a completion time, as bits (1 day
 * first, 2 month first, 3 either or no such question: ISO), in the forms
 * {@link isDateTimeBytes} reads; 0 means "not recognised here", for the text reader to judge.
 */
export function dateOrdersOfBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start >= 10 && bytes[start + 4] === DASH) return isIso(bytes, start, end) ? 3 : 0;
  return (isSlashed(bytes, start, end, "dmy") ? 1 : 0) | (isSlashed(bytes, start, end, "mdy") ? 2 : 0);
}

/** `^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$`, as parseDateTime's ISO. */
function isIso(b: Uint8Array, s: number, e: number): boolean {
  const year = digits(b, s, s + 4);
  const month = digits(b, s + 5, s + 7);
  const day = digits(b, s + 8, s + 10);
  if (year < 0 || month < 0 || day < 0 || b[s + 7] !== DASH) return false;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let i = s + 10;
  if (i < e) {
    if ((b[i] !== T && b[i] !== SPACE) || e - i < 6 || b[i + 3] !== COLON) return false;
    hour = digits(b, i + 1, i + 3);
    minute = digits(b, i + 4, i + 6);
    if (hour < 0 || minute < 0) return false;
    i += 6;
    if (i < e && b[i] === COLON) {
      if (e - i < 3) return false;
      second = digits(b, i + 1, i + 3);
      if (second < 0) return false;
      i += 3;
      if (i < e && b[i] === DOT) {
        const fraction = digitRun(b, i + 1, e);
        if (fraction === 0) return false;
        i += 1 + fraction;
      }
    }
    if (i < e && b[i] === Z) i++;
    else if (i < e && (b[i] === PLUS || b[i] === DASH)) {
      if (e - i < 5 || digits(b, i + 1, i + 3) < 0) return false;
      let j = i + 3;
      if (b[j] === COLON) j++;
      if (e - j < 2 || digits(b, j, j + 2) < 0) return false;
      i = j + 2;
    }
    if (i !== e) return false;
  }
  return isPossibleDateTime(year, month, day, hour, minute, second);
}

/** `^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$`, as parseDateTime's slashed form. */
function isSlashed(b: Uint8Array, s: number, e: number, order: DateOrder): boolean {
  const firstLength = digitRun(b, s, e);
  if (firstLength < 1 || firstLength > 2 || !isAt(b, s + firstLength, e, SLASH)) return false;
  let i = s + firstLength + 1;
  const secondLength = digitRun(b, i, e);
  if (secondLength < 1 || secondLength > 2 || !isAt(b, i + secondLength, e, SLASH)) return false;
  const first = digits(b, s, s + firstLength);
  const second = digits(b, i, i + secondLength);
  i += secondLength + 1;
  const yearLength = digitRun(b, i, e);
  if (yearLength !== 2 && yearLength !== 4) return false;
  const year = (yearLength === 2 ? 2000 : 0) + digits(b, i, i + yearLength);
  i += yearLength;
  let hour = 0;
  let minute = 0;
  let seconds = 0;
  if (i < e) {
    if (b[i] === COMMA) i++;
    if (!isAt(b, i, e, SPACE)) return false;
    i++;
    const hourLength = digitRun(b, i, e);
    if (hourLength < 1 || hourLength > 2 || !isAt(b, i + hourLength, e, COLON)) return false;
    hour = digits(b, i, i + hourLength);
    i += hourLength + 1;
    if (digitRun(b, i, e) !== 2) return false;
    minute = digits(b, i, i + 2);
    i += 2;
    if (i < e && b[i] === COLON) {
      if (digitRun(b, i + 1, e) !== 2) return false;
      seconds = digits(b, i + 1, i + 3);
      i += 3;
    }
    if (i < e) {
      if (b[i] === SPACE) i++;
      if (e - i !== 2) return false;
      const meridiem = b[i]! | 0x20;
      if ((meridiem !== 0x61 && meridiem !== 0x70) || (b[i + 1]! | 0x20) !== 0x6d) return false;
      if (hour < 1 || hour > 12) return false;
      hour = (hour % 12) + (meridiem === 0x70 ? 12 : 0);
      i = e;
    }
  }
  const [day, month] = order === "dmy" ? [first, second] : [second, first];
  return isPossibleDateTime(year, month, day, hour, minute, seconds);
}

/** Whether byte `at`, before `end`, is `byte`. */
function isAt(b: Uint8Array, at: number, end: number, byte: number): boolean {
  return at < end && b[at] === byte;
}

/** The number the ASCII digits [from, to) spell, or -1 when one is not a digit. */
function digits(b: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = b[i]! - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** How many ASCII digits follow from `from` (before `end`). */
function digitRun(b: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  return i - from;
}
