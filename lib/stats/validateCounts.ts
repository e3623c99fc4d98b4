import { StatisticsInputError } from "./statisticsInputError.ts";

/** Throws {@link StatisticsInputError} unless every value is a finite non-negative integer. */
export function assertCounts(values: readonly number[], what: string): void {
  for (const value of values) {
    if (!Number.isInteger(value) || value < 0) {
      throw new StatisticsInputError(`${what} must be non-negative whole numbers, got ${value}`);
    }
  }
}

/** Throws unless the table is rectangular with at least `minRows` x `minColumns` cells of counts. */
export function assertTable(table: readonly (readonly number[])[], minRows = 2, minColumns = 2): void {
  const columns = table[0]?.length ?? 0;
  if (table.length < minRows || columns < minColumns || table.some((row) => row.length !== columns)) {
    throw new StatisticsInputError(
      `a contingency table must be rectangular with at least ${minRows} rows and ${minColumns} columns`,
    );
  }
  for (const row of table) assertCounts(row, "table cells");
}
