import { FileRejectedError } from "../errors.ts";
import type { RowProblem } from "../ingest/rejectionReport.ts";
import { quoteList } from "../ingest/quoteList.ts";
import { describeHeaderMismatch } from "../ingest/headerMismatch.ts";
import { RejectionCollector } from "../ingest/rejectionReport.ts";
import { type ExportFacts, readExport } from "../sources/exportRows.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { type ResolvedSource, resolveSource } from "../sources/resolveSource.ts";
import { expectedRegistrationDate, registrationDate } from "./financialYear.ts";
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

/** Where the export's fields are. */
interface OutcomeColumns {
  id: number;
  cohort: number;
  employer: number;
  outcome: number;
  /** The registration date's column; -1 when the cycle names none. */
  registrationDate: number;
  variables: number[];
  count: number;
}

/** The batch's code for each way the cycle lets the export write a cohort, an outcome or a characteristic's level. */
interface OutcomeCodes {
  cohort: Map<string, number>;
  outcome: Map<string, number>;
  /** Per characteristic, in the cycle's order: normalized value to 1 + the level's index (0: not known). */
  levels: Map<string, number>[];
}

/** Everything encoding a record needs, and what the records read so far have given. */
interface RecordEncoding {
  config: OutcomesConfig;
  codes: OutcomeCodes;
  columns: OutcomeColumns;
  rejections: RejectionCollector;
  /** The first row of each cohort and NQSW id. */
  firstRow: Map<string, number>;
  /** Each employer's index in the batch, in order of first appearance. */
  employers: Map<string, number>;
  records: number[][];
  /** Per record kept, 0 or 1 + the index of its registration's financial year in `financialYears`. */
  registered: number[];
  financialYears: Map<string, number>;
  /** How the export writes slashed dates. */
  source: ResolvedSource;
  duplicates: number;
  /** The current row's problems (reused from row to row). */
  problems: RowProblem[];
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
  const codes = outcomeCodes(config);
  let encoding: RecordEncoding | undefined;
  let rows = 0;

  const facts = await readExport(chunks, file, source, {
    header: (names, headerRows) => {
      const columns = outcomeColumns(config, slot, file, source, names, headerRows);
      encoding = { config, codes, columns, rejections, firstRow: new Map(), employers: new Map(), records: [], registered: [], financialYears: new Map(), source, duplicates: 0, problems: [] };
    },
    responses: (batch) => {
      const at = encoding!;
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        rows++;
        encodeRecord(at, batch.record(i), batch.rows[i]!);
      }
      return undefined;
    },
  });
  return { facts, rows, duplicates: encoding!.duplicates, rejections, batch: outcomeBatch(config, slot, file, encoding!) };
}

/** Every spelling the cycle accepts for a cohort, an outcome and each characteristic's levels, with its code. */
function outcomeCodes(config: OutcomesConfig): OutcomeCodes {
  const levels = config.variables.map((variable) => {
    const map = new Map<string, number>();
    for (const value of variable.unknown) map.set(normalizeLabel(value), 0);
    variable.levels.forEach((level, index) => {
      for (const value of [level.label, ...level.values]) map.set(normalizeLabel(value), index + 1);
    });
    return map;
  });
  const outcome = new Map<string, number>();
  for (const value of config.outcome.pending) outcome.set(normalizeLabel(value), OUTCOME.pending);
  for (const value of config.outcome.successful) outcome.set(normalizeLabel(value), OUTCOME.successful);
  for (const value of config.outcome.unsuccessful) outcome.set(normalizeLabel(value), OUTCOME.unsuccessful);
  const cohort = new Map(config.cohorts.map((name, index) => [name, index]));
  return { cohort, outcome, levels };
}

/** Finds the export's columns; throws FileRejectedError naming every missing one. */
function outcomeColumns(config: OutcomesConfig, slot: string, file: string, source: ResolvedSource, names: string[], headerRows: string[][]): OutcomeColumns {
  const positions = new Map(names.map((name, index) => [normalizeLabel(name), index] as const));
  const missing: string[] = [];
  const find = (header: string) => {
    const at = positions.get(normalizeLabel(header));
    if (at === undefined) missing.push(header);
    return at ?? -1;
  };
  const columns: OutcomeColumns = {
    id: find(config.columns.nqswId),
    cohort: find(config.columns.cohort),
    employer: find(config.columns.employer),
    outcome: find(config.columns.outcome),
    registrationDate: config.columns.registrationDate === undefined ? -1 : find(config.columns.registrationDate),
    variables: config.variables.map((variable) => find(variable.column)),
    count: names.length,
  };
  if (missing.length > 0) throw new FileRejectedError(file, describeHeaderMismatch({ group: slot, source, names, headerRows, missing, repeated: [] }));
  return columns;
}

/**
 * Validates one record and keeps it, without its NQSW id; a row with any problem goes to the
 * rejection report with all of them, and an NQSW id seen before in the same cohort is a duplicate.
 */
function encodeRecord(encoding: RecordEncoding, cells: string[], row: number): void {
  const { config, codes, columns: at, problems } = encoding;
  problems.length = 0;
  const problem = (column: string, value: string, expected: string) => problems.push({ row, column, value: value.slice(0, 200), expected });
  const id = (cells[at.id] ?? "").trim();
  if (id === "") problem(config.columns.nqswId, "", "an NQSW id (required)");
  const cohortText = (cells[at.cohort] ?? "").trim();
  const cohort = codes.cohort.get(cohortText);
  if (cohort === undefined) problem(config.columns.cohort, cohortText, `one of the cohorts ${quoteList(config.cohorts)}`);
  const employer = (cells[at.employer] ?? "").trim();
  if (employer === "") problem(config.columns.employer, "", "the employer's name (required)");
  const outcome = codes.outcome.get(normalizeLabel(cells[at.outcome] ?? ""));
  if (outcome === undefined) problem(config.columns.outcome, cells[at.outcome] ?? "", `one of ${quoteList([...config.outcome.successful, ...config.outcome.unsuccessful, ...config.outcome.pending.filter((v) => v !== "")])}, or blank`);
  const levels = config.variables.map((variable, v) => {
    const text = cells[at.variables[v]!] ?? "";
    const level = codes.levels[v]!.get(normalizeLabel(text));
    if (level === undefined) problem(variable.column, text, `one of ${quoteList(variable.levels.flatMap((l) => [l.label, ...l.values.filter((value) => value !== l.label)]))}, or not known (${quoteList(variable.unknown.filter((u) => u !== ""))} or blank)`);
    return level ?? 0;
  });
  const registered = registrationCode(encoding, cells, problem);
  if (problems.length > 0) {
    encoding.rejections.reject(problems);
    return;
  }
  if (seenBefore(encoding, `${cohortText}\u0000${id}`, id, row)) return;
  let employerIndex = encoding.employers.get(employer);
  if (employerIndex === undefined) encoding.employers.set(employer, (employerIndex = encoding.employers.size));
  encoding.records.push([cohort!, employerIndex, outcome!, ...levels]);
  encoding.registered.push(registered);
}

/** The record's registration code: 0 when the cycle has no date column or the cell is blank, else 1 + its financial year's index; a bad date is a problem. */
function registrationCode(encoding: RecordEncoding, cells: string[], problem: (column: string, value: string, expected: string) => void): number {
  const { columns, config, source, financialYears } = encoding;
  if (columns.registrationDate < 0) return 0;
  const text = cells[columns.registrationDate] ?? "";
  const date = registrationDate(text, source.dateOrder);
  if (date.kind === "invalid") problem(config.columns.registrationDate!, text, expectedRegistrationDate(source.dateOrder));
  if (date.kind !== "year") return 0;
  let index = financialYears.get(date.financialYear);
  if (index === undefined) financialYears.set(date.financialYear, (index = financialYears.size));
  return index + 1;
}

/** True, after reporting the duplicate, when the cohort's NQSW id was seen in an earlier row; else remembers it. */
function seenBefore(encoding: RecordEncoding, key: string, id: string, row: number): boolean {
  const seen = encoding.firstRow.get(key);
  if (seen === undefined) {
    encoding.firstRow.set(key, row);
    return false;
  }
  encoding.duplicates++;
  encoding.rejections.duplicate({ row, responseId: id, firstRow: seen });
  return true;
}

/** The normalized batch of the records kept: codes in place of the export's words, no NQSW id, and of a registration date only its financial year. */
function outcomeBatch(config: OutcomesConfig, slot: string, file: string, encoding: RecordEncoding): OutcomeBatch {
  const { employers, records, registered, financialYears } = encoding;
  return {
    format: "asye-outcomes-v1",
    cycleId: config.id,
    slot,
    uploadKey: file,
    cohorts: config.cohorts,
    variables: config.variables.map((variable) => ({ id: variable.id, levels: variable.levels.map((level) => level.id) })),
    employers: [...employers.keys()],
    records,
    ...(config.columns.registrationDate === undefined ? {} : { registered: { financialYears: [...financialYears.keys()], codes: registered } }),
  };
}
