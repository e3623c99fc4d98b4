import { FileRejectedError } from "../errors.ts";
import type { RowProblem } from "../ingest/rejectionReport.ts";
import { quoteList } from "../ingest/quoteList.ts";
import { RejectionCollector } from "../ingest/rejectionReport.ts";
import { type ExportFacts, readExport } from "../sources/exportRows.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { resolveSource } from "../sources/resolveSource.ts";
import type { OutcomeAggregates } from "./outcomeRecords.ts";
import type { OutcomesConfig } from "./outcomesConfig.ts";

/** The upload place of counts kept from earlier years: `uploads/{cycle}/aggregates/…` (not personal data). */
export const LEGACY_AGGREGATES_SLOT = "aggregates";

/** The columns of a file of earlier years' counts. */
const COLUMNS = ["cohort", "characteristic", "level", "successful", "unsuccessful"] as const;

/** A cohort is a financial year: 2020-21. */
const COHORT = /^\d{4}-\d{2}$/;

/** The columns that say which counts a row gives: one row per cohort, characteristic and level. */
const KEY_COLUMNS = COLUMNS.slice(0, 3);

/**
 * Reads counts kept from earlier years, whose records have expired (one row per cohort,
 * characteristic and level: `cohort, characteristic, level, successful, unsuccessful`), into the
 * aggregates format ingest writes from records, so the trends reach back five years. A
 * characteristic or level is named by id or label; a bad row is rejected with its row, column,
 * value and what was expected; a second row for the same cohort, characteristic and level is a bad
 * row (a duplicate of the first), never added to it. Counts are not personal data: they live under `uploads/`.
 */
export async function encodeLegacyAggregates(chunks: AsyncIterable<Uint8Array>, config: OutcomesConfig, file: string): Promise<{ facts: ExportFacts; aggregates: OutcomeAggregates; rows: number; rejections: RejectionCollector }> {
  const rejections = new RejectionCollector();
  const aggregates: OutcomeAggregates = { format: "asye-outcome-aggregates-v1", cycleId: config.id, uploadKey: file, cohorts: {} };
  let at: number[] = [];
  const readRow = aggregatesRowReader(config, () => at);
  // The row each cohort, characteristic and level was first given on: a second is a row problem, never added.
  const firstRowOf = new Map<string, number>();
  let rows = 0;
  const facts = await readExport(chunks, file, resolveSource({ tool: "csv", columns: {} }), {
    header: (names) => {
      at = COLUMNS.map((column) => names.findIndex((name) => normalizeLabel(name) === column));
      const missing = COLUMNS.filter((_, i) => at[i]! < 0);
      if (missing.length > 0) throw new FileRejectedError(file, `missing column(s) ${quoteList(missing)}: a file of earlier years' counts has the columns ${quoteList(COLUMNS)}`);
    },
    responses: (batch) => {
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        rows++;
        const row = batch.rows[i]!;
        const read = readRow(batch.record(i), row);
        const firstRow = read.key === undefined ? undefined : firstRowOf.get(read.key);
        if (firstRow !== undefined) read.problems.push(duplicateProblem(row, firstRow, read.cells));
        if (read.problems.length > 0 || read.key === undefined) {
          rejections.reject(read.problems);
          continue;
        }
        firstRowOf.set(read.key, row);
        add(aggregates, read.counts);
      }
      return undefined;
    },
  });
  return { facts, aggregates, rows, rejections };
}

/**
 * A row giving counts for a cohort, characteristic and level an earlier row already gave: it is
 * rejected rather than added, which would double the base and the unsuccessful count. Rows are
 * matched by the characteristic's and level's ids, so one spelt by its label is still a duplicate.
 */
function duplicateProblem(row: number, firstRow: number, cells: readonly string[]): RowProblem {
  return {
    row,
    column: KEY_COLUMNS.join(", "),
    value: cells.join(", "),
    expected: `one row per cohort, characteristic and level: this is a duplicate of row ${firstRow} (the same cohort, characteristic and level), whose counts stand; counts are never added twice`,
  };
}

/** One row of earlier years' counts as read: its problems, or the counts it gives and their key. */
interface AggregatesRow {
  problems: RowProblem[];
  /** The cohort, characteristic and level as written (for a duplicate's message). */
  cells: string[];
  /** The cohort, characteristic id and level id, when all three are valid. */
  key?: string;
  counts: { cohort: string; variable: string; level: string; successful: number; unsuccessful: number };
}

/**
 * Reads one row against the cycle's characteristics (named by id or label): each bad cell is a
 * problem with its row, column, value and what was expected. `columnsAt` gives the column
 * positions once the header is read.
 */
function aggregatesRowReader(config: OutcomesConfig, columnsAt: () => readonly number[]): (cells: readonly string[], row: number) => AggregatesRow {
  const variableOf = new Map(config.variables.flatMap((v) => [[normalizeLabel(v.id), v], [normalizeLabel(v.label), v]] as const));
  return (cells, row) => {
    const at = columnsAt();
    const problems: RowProblem[] = [];
    const cell = (k: number) => (cells[at[k]!] ?? "").trim();
    const cohort = cell(0);
    const cohortValid = COHORT.test(cohort);
    if (!cohortValid) problems.push({ row, column: "cohort", value: cohort, expected: "a financial year such as 2020-21" });
    const variable = variableOf.get(normalizeLabel(cell(1)));
    if (variable === undefined) problems.push({ row, column: "characteristic", value: cell(1), expected: `one of ${quoteList(config.variables.map((v) => v.id))}` });
    const level = variable?.levels.find((l) => normalizeLabel(l.id) === normalizeLabel(cell(2)) || normalizeLabel(l.label) === normalizeLabel(cell(2)));
    if (variable !== undefined && level === undefined) problems.push({ row, column: "level", value: cell(2), expected: `one of ${quoteList(variable.levels.map((l) => l.label))}` });
    const [successful, unsuccessful] = [cell(3), cell(4)].map((text, k) => {
      if (!/^\d+$/.test(text)) problems.push({ row, column: COLUMNS[3 + k]!, value: text, expected: "a whole number of NQSWs, 0 or more" });
      return Number(text);
    });
    const valid = cohortValid && variable !== undefined && level !== undefined;
    return {
      problems,
      cells: [cohort, cell(1), cell(2)],
      ...(valid ? { key: JSON.stringify([cohort, variable.id, level.id]) } : {}),
      counts: { cohort, variable: variable?.id ?? "", level: level?.id ?? "", successful: successful!, unsuccessful: unsuccessful! },
    };
  };
}

/** Adds one accepted row's counts to the cohort, characteristic and level they are for. */
function add(aggregates: OutcomeAggregates, counts: AggregatesRow["counts"]): void {
  const entry = (aggregates.cohorts[counts.cohort] ??= { registrations: 0, variables: {} });
  const levels = (entry.variables[counts.variable] ??= {});
  const sum = (levels[counts.level] ??= { successful: 0, unsuccessful: 0, pending: 0 });
  sum.successful += counts.successful;
  sum.unsuccessful += counts.unsuccessful;
}
