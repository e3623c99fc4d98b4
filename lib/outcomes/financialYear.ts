import { parseDateTime } from "../sources/parseDateTime.ts";
import type { DateOrder } from "../sources/sourceSchema.ts";

/**
 * The financial year (1 April to 31 March) a date falls in, named as cohorts are.
 * @example financialYearOf(2024, 3) // "2023-24"
 * @example financialYearOf(2024, 4) // "2024-25"
 */
export function financialYearOf(year: number, month: number): string {
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** What a registration date cell holds: blank (not known), a financial year, or something that is not a date. */
export type RegistrationDate = { kind: "blank" } | { kind: "year"; financialYear: string } | { kind: "invalid" };

/** The earliest and latest years a registration date may fall in (the ASYE began in 2012; nothing is registered decades ahead). */
const YEARS = { first: 2000, last: 2099 } as const;

/**
 * Reads a registration date as the platform's export writes it: ISO (`2024-09-02`, a time may
 * follow), slashed in the source's date order (`02/09/2024` in the UK), or an Excel serial
 * number; a real calendar date between 2000 and 2099. Only its financial year is kept.
 * @example registrationDate("31/03/2025", "dmy") // { kind: "year", financialYear: "2024-25" }
 */
export function registrationDate(text: string, order: DateOrder): RegistrationDate {
  const value = text.trim();
  if (value === "") return { kind: "blank" };
  const date = parseDateTime(value, order);
  if (date === undefined || date.year < YEARS.first || date.year > YEARS.last) return { kind: "invalid" };
  return { kind: "year", financialYear: financialYearOf(date.year, date.month) };
}

/** What the rejection report says a registration date must be. */
export function expectedRegistrationDate(order: DateOrder): string {
  const slashed = order === "dmy" ? "02/09/2024 (day/month/year)" : "09/02/2024 (month/day/year)";
  return `a registration date such as 2024-09-02 or ${slashed}, between ${YEARS.first} and ${YEARS.last}, or blank when not known`;
}
