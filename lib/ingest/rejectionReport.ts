import type { CsvRecordProblem } from "../csv/csvTokenizer.ts";
import { redactEmails } from "../privacy/redactEmails.ts";

/** One reason a row was rejected: the row, the column, the value found and what was expected. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  expected: string;
}

/** The column a problem of a whole row (its fields, its quoting) names. */
export const WHOLE_ROW = "(whole row)";

/** Detailed problems kept per report; beyond this only the counts per column grow. */
export const MAX_DETAILED_PROBLEMS = 10_000;

/** A response id seen again: the later rows are not counted. */
export interface DuplicateResponse {
  row: number;
  responseId: string;
  firstRow: number;
}

/** What is written to `rejects/…`: every rejected row and duplicate, or the file-level reason. */
export interface RejectionReport {
  file: string;
  cycleId: string;
  group: string;
  etag: string;
  /** Set when the whole file was rejected (it could not be read, or too few of its rows are valid). */
  fileRejected?: string;
  /** How the file was read: xlsx or delimited text, its encoding and delimiter. */
  source?: { format: "csv" | "xlsx"; compression?: "gzip"; encoding?: string; delimiter?: string; warnings?: string[] };
  rows: number;
  accepted: number;
  rejectedRows: number;
  /** Incomplete responses left out (a blank completion time, where the source leaves those out): not problems. */
  incompleteRows?: number;
  duplicates: DuplicateResponse[];
  /** Problems by column header, counting all of them. */
  problemsByColumn: Record<string, number>;
  problems: RowProblem[];
  /** True when more problems were found than are listed in `problems`. */
  truncated: boolean;
}

/** Collects rejected rows and duplicates while a file is read. */
export class RejectionCollector {
  readonly problems: RowProblem[] = [];
  readonly problemsByColumn: Record<string, number> = {};
  readonly duplicates: DuplicateResponse[] = [];
  rejectedRows = 0;
  incompleteRows = 0;
  truncated = false;

  /** Counts one incomplete response, left out (not a problem). */
  incomplete(): void {
    this.incompleteRows++;
  }

  /** Records the problems of one rejected row. */
  reject(rowProblems: RowProblem[]): void {
    this.rejectedRows++;
    for (const problem of rowProblems) {
      this.problemsByColumn[problem.column] = (this.problemsByColumn[problem.column] ?? 0) + 1;
      if (this.problems.length < MAX_DETAILED_PROBLEMS) this.problems.push(problem);
      else this.truncated = true;
    }
  }

  /** Records the rows the reader could not make records of (each a rejected row); returns how many. */
  unreadable(problems: readonly CsvRecordProblem[]): number {
    for (const problem of problems) this.reject([{ row: problem.row, column: problem.column ?? WHOLE_ROW, value: problem.value ?? "", expected: problem.message }]);
    return problems.length;
  }

  /** Records a response id already seen. */
  duplicate(entry: DuplicateResponse): void {
    if (this.duplicates.length < MAX_DETAILED_PROBLEMS) this.duplicates.push(entry);
    else this.truncated = true;
  }

  /** True when there is anything to report. */
  get isEmpty(): boolean {
    return this.rejectedRows === 0 && this.duplicates.length === 0;
  }
}

/** What a stored report says instead of a cell of an upload that holds personal data. */
export const NOT_QUOTED = "(not quoted: personal data)";

/**
 * The report as it is stored: no email address anywhere, and, for an upload whose cells are
 * personal data (`cellsArePersonal`), no cell at all: each problem names its row, column and
 * what was expected, and each duplicate its rows. (`asye check` shows the cells to the person
 * who has the file; a stored report outlives it, outside the personal-data area.)
 */
export function storedRejectionReport(report: RejectionReport, cellsArePersonal: boolean): RejectionReport {
  const cell = (value: string) => (cellsArePersonal && value !== "" ? NOT_QUOTED : redactEmails(value));
  return {
    ...report,
    ...(report.fileRejected !== undefined ? { fileRejected: redactEmails(report.fileRejected) } : {}),
    problems: report.problems.map((problem) => ({
      ...problem,
      value: problem.column === WHOLE_ROW ? problem.value : cell(problem.value),
      expected: redactEmails(problem.expected),
    })),
    duplicates: report.duplicates.map((duplicate) => ({ ...duplicate, responseId: cell(duplicate.responseId) })),
  };
}
