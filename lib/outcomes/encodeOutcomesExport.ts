import { FileRejectedError } from "../errors.ts";
import type { RowProblem } from "../ingest/rejectionReport.ts";
import { quoteList } from "../ingest/quoteList.ts";
import { describeHeaderMismatch } from "../ingest/headerMismatch.ts";
import { RejectionCollector } from "../ingest/rejectionReport.ts";
import { type ExportFacts, readExport } from "../sources/exportRows.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { resolveSource } from "../sources/resolveSource.ts";
import { OUTCOME, type OutcomeBatch } from "./outcomeRecords.ts";
import type { OutcomesConfig } from "./outcomesConfig.ts";

/** The upload place of the registration platform's export: `personal/uploads/{cycle}/records/…`. */
export const OUTCOME_RECORDS_SLOT = "records";

/** What reading one outcomes export gave. */
export interface EncodedOutcomes {
  facts: ExportFacts;
  batch: OutcomeBatch;
  rows: number;
  duplicates: number;
  rejections: RejectionCollector;
}

/**
 * Reads the registration platform's export (any tool's format, as the cycle's source says),
 * validates every record against the cycle (cohort, outcome, each characteristic's values) and
 * keeps the valid ones as a normalized batch without the NQSW id. A repeated NQSW id in one
 * cohort is a duplicate; bad rows go to the rejection report with row, column, value and what
 * was expected. Records are small (thousands a year), so the batch is built in memory.
 */
export async function encodeOutcomesExport(chunks: AsyncIterable<Uint8Array>, config: OutcomesConfig, slot: string, file: string): Promise<EncodedOutcomes> {
  const source = resolveSource(config.source);
  const rejections = new RejectionCollector();
  const levelOf = config.variables.map((variable) => {
    const map = new Map<string, number>();
    for (const value of variable.unknown) map.set(normalizeLabel(value), 0);
    variable.levels.forEach((level, index) => {
      for (const value of [level.label, ...level.values]) map.set(normalizeLabel(value), index + 1);
    });
    return map;
  });
  const outcomeOf = new Map<string, number>();
  for (const value of config.outcome.pending) outcomeOf.set(normalizeLabel(value), OUTCOME.pending);
  for (const value of config.outcome.successful) outcomeOf.set(normalizeLabel(value), OUTCOME.successful);
  for (const value of config.outcome.unsuccessful) outcomeOf.set(normalizeLabel(value), OUTCOME.unsuccessful);
  const cohortOf = new Map(config.cohorts.map((cohort, index) => [cohort, index]));
  const employers = new Map<string, number>();
  const records: number[][] = [];
  const firstRow = new Map<string, number>();
  let columns: { id: number; cohort: number; employer: number; outcome: number; variables: number[]; count: number } | undefined;
  let rows = 0;
  let duplicates = 0;
  const problems: RowProblem[] = [];

  const facts = await readExport(chunks, file, source, {
    header: (names, headerRows) => {
      const positions = new Map(names.map((name, index) => [normalizeLabel(name), index] as const));
      const missing: string[] = [];
      const find = (header: string) => {
        const at = positions.get(normalizeLabel(header));
        if (at === undefined) missing.push(header);
        return at ?? -1;
      };
      columns = {
        id: find(config.columns.nqswId),
        cohort: find(config.columns.cohort),
        employer: find(config.columns.employer),
        outcome: find(config.columns.outcome),
        variables: config.variables.map((variable) => find(variable.column)),
        count: names.length,
      };
      if (missing.length > 0) throw new FileRejectedError(file, describeHeaderMismatch({ group: slot, source, names, headerRows, missing, repeated: [] }));
    },
    responses: (batch) => {
      const at = columns!;
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        const cells = batch.record(i);
        const row = batch.rows[i]!;
        rows++;
        problems.length = 0;
        const problem = (column: string, value: string, expected: string) => problems.push({ row, column, value: value.slice(0, 200), expected });
        const id = (cells[at.id] ?? "").trim();
        if (id === "") problem(config.columns.nqswId, "", "an NQSW id (required)");
        const cohortText = (cells[at.cohort] ?? "").trim();
        const cohort = cohortOf.get(cohortText);
        if (cohort === undefined) problem(config.columns.cohort, cohortText, `one of the cohorts ${quoteList(config.cohorts)}`);
        const employer = (cells[at.employer] ?? "").trim();
        if (employer === "") problem(config.columns.employer, "", "the employer's name (required)");
        const outcome = outcomeOf.get(normalizeLabel(cells[at.outcome] ?? ""));
        if (outcome === undefined) problem(config.columns.outcome, cells[at.outcome] ?? "", `one of ${quoteList([...config.outcome.successful, ...config.outcome.unsuccessful, ...config.outcome.pending.filter((v) => v !== "")])}, or blank`);
        const levels = config.variables.map((variable, v) => {
          const text = cells[at.variables[v]!] ?? "";
          const level = levelOf[v]!.get(normalizeLabel(text));
          if (level === undefined) problem(variable.column, text, `one of ${quoteList(variable.levels.flatMap((l) => [l.label, ...l.values.filter((value) => value !== l.label)]))}, or not known (${quoteList(variable.unknown.filter((u) => u !== ""))} or blank)`);
          return level ?? 0;
        });
        if (problems.length > 0) {
          rejections.reject(problems);
          continue;
        }
        const key = `${cohortText}\u0000${id}`;
        const seen = firstRow.get(key);
        if (seen !== undefined) {
          duplicates++;
          rejections.duplicate({ row, responseId: id, firstRow: seen });
          continue;
        }
        firstRow.set(key, row);
        let employerIndex = employers.get(employer);
        if (employerIndex === undefined) employers.set(employer, (employerIndex = employers.size));
        records.push([cohort!, employerIndex, outcome!, ...levels]);
      }
      return undefined;
    },
  });
  return {
    facts,
    rows,
    duplicates,
    rejections,
    batch: {
      format: "asye-outcomes-v1",
      cycleId: config.id,
      slot,
      uploadKey: file,
      cohorts: config.cohorts,
      variables: config.variables.map((variable) => ({ id: variable.id, levels: variable.levels.map((level) => level.id) })),
      employers: [...employers.keys()],
      records,
    },
  };
}
