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

/**
 * Reads counts kept from earlier years, whose records have expired (one row per cohort,
 * characteristic and level: `cohort, characteristic, level, successful, unsuccessful`), into the
 * aggregates format ingest writes from records, so the trends reach back five years. A
 * characteristic or level is named by id or label; a bad row is rejected with its row, column,
 * value and what was expected. Counts are not personal data: they live under `uploads/`.
 */
export async function encodeLegacyAggregates(chunks: AsyncIterable<Uint8Array>, config: OutcomesConfig, file: string): Promise<{ facts: ExportFacts; aggregates: OutcomeAggregates; rows: number; rejections: RejectionCollector }> {
  const rejections = new RejectionCollector();
  const aggregates: OutcomeAggregates = { format: "asye-outcome-aggregates-v1", cycleId: config.id, uploadKey: file, cohorts: {} };
  const variableOf = new Map(config.variables.flatMap((v) => [[normalizeLabel(v.id), v], [normalizeLabel(v.label), v]] as const));
  let at: number[] = [];
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
        const cells = batch.record(i);
        const row = batch.rows[i]!;
        rows++;
        const rowProblems: RowProblem[] = [];
        const cell = (k: number) => (cells[at[k]!] ?? "").trim();
        const cohort = cell(0);
        if (!/^\d{4}-\d{2}$/.test(cohort)) rowProblems.push({ row, column: "cohort", value: cohort, expected: "a financial year such as 2020-21" });
        const variable = variableOf.get(normalizeLabel(cell(1)));
        if (variable === undefined) rowProblems.push({ row, column: "characteristic", value: cell(1), expected: `one of ${quoteList(config.variables.map((v) => v.id))}` });
        const level = variable?.levels.find((l) => normalizeLabel(l.id) === normalizeLabel(cell(2)) || normalizeLabel(l.label) === normalizeLabel(cell(2)));
        if (variable !== undefined && level === undefined) rowProblems.push({ row, column: "level", value: cell(2), expected: `one of ${quoteList(variable.levels.map((l) => l.label))}` });
        const counts = [cell(3), cell(4)].map((text, k) => {
          if (!/^\d+$/.test(text)) rowProblems.push({ row, column: COLUMNS[3 + k]!, value: text, expected: "a whole number of NQSWs, 0 or more" });
          return Number(text);
        });
        if (rowProblems.length > 0) {
          rejections.reject(rowProblems);
          continue;
        }
        const entry = (aggregates.cohorts[cohort] ??= { registrations: 0, variables: {} });
        const levels = (entry.variables[variable!.id] ??= {});
        const sum = (levels[level!.id] ??= { successful: 0, unsuccessful: 0, pending: 0 });
        sum.successful += counts[0]!;
        sum.unsuccessful += counts[1]!;
      }
      return undefined;
    },
  });
  return { facts, aggregates, rows, rejections };
}
