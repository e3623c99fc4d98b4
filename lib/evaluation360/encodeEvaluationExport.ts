import { FileRejectedError } from "../errors.ts";
import { BatchWriter } from "../ingest/batchWriter.ts";
import type { EncodedBatch } from "../ingest/streamedBatch.ts";
import type { RowProblem } from "../ingest/rejectionReport.ts";
import { quoteList } from "../ingest/quoteList.ts";
import { describeHeaderMismatch } from "../ingest/headerMismatch.ts";
import { RejectionCollector } from "../ingest/rejectionReport.ts";
import { readExport } from "../sources/exportRows.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { DateColumn } from "../sources/dateColumn.ts";
import { type ResolvedSource, ROW_NUMBER_ID, resolveSource } from "../sources/resolveSource.ts";
import { EVALUATION_ROW, type EvaluationBatchHeader } from "./evaluationBatch.ts";
import { ALL_ORGANISATIONS_SLOT } from "./allOrganisationsSlot.ts";
import { type EvaluationConfig, statementHeader } from "./evaluationConfig.ts";


/** Where the export's fields are. */
interface EvaluationLayout {
  columnCount: number;
  responseId: number;
  submittedAt: number;
  organisation: number;
  respondentType: number;
  statements: number[];
  headers: { responseId: string; submittedAt: string; organisation: string; respondentType: string; statements: string[] };
}

/** The batch's code for each way the cycle lets an export write an organisation, respondent type or rating (normalized). */
interface EvaluationCodes {
  organisation: Map<string, number>;
  respondentType: Map<string, number>;
  rating: Map<string, number>;
}

/** What a rejected cell should have held, in the rejection report's words. */
interface ExpectedValues {
  organisation: string;
  respondentType: string;
  rating: string;
}

/** Everything encoding a response needs: the cycle's codes, where the columns are, the batch being written and the ids seen so far. */
interface ResponseEncoding {
  config: EvaluationConfig;
  /** The submission times as read: their order settled from all of them when the file ends. */
  dates: DateColumn;
  codes: EvaluationCodes;
  expected: ExpectedValues;
  /** 1 + the index of the organisation an own export was uploaded for; 0 for the export of every organisation. */
  slotOrganisation: number;
  layout: EvaluationLayout;
  writer: BatchWriter;
  rowWidth: number;
  rejections: RejectionCollector;
  firstRowById: Map<string, number>;
  duplicates: number;
  /** The current row's problems (reused from row to row). */
  problems: RowProblem[];
}

/** Reads one cell of the current row ("" for a column the export does not have). */
type CellReader = (column: number) => string;
/** Notes one problem of the current row. */
type ProblemNote = (column: string, value: string, expected: string) => void;

/**
 * Reads one 360 export (any tool's, as the cycle's source says), validates every response
 * and encodes the valid ones into a normalized 360 batch (see evaluationBatch.ts). `slot` is
 * {@link ALL_ORGANISATIONS_SLOT} or the id of the organisation the export was uploaded for;
 * an organisation's own export may leave out the organisation column. Bad rows and repeated
 * response ids go to the rejection report, never into the batch.
 */
export async function encodeEvaluationExport(
  chunks: AsyncIterable<Uint8Array>,
  options: { config: EvaluationConfig; slot: string; file: string; onWriter: (writer: BatchWriter) => void; onProgress?: (rows: number) => void },
): Promise<EncodedBatch> {
  const { config, slot, file } = options;
  const source = resolveSource(config.source);
  const codes = evaluationCodes(config, source);
  const slotOrganisation = slot === ALL_ORGANISATIONS_SLOT ? 0 : config.organisations.findIndex((o) => o.id === slot) + 1;
  const expected = expectedValues(config);
  const rowWidth = EVALUATION_ROW.ratings + config.statements.length;
  const rejections = new RejectionCollector();
  let encoding: ResponseEncoding | undefined;
  let rows = 0;

  const facts = await readExport(chunks, file, source, {
    header: (names, headerRows) => {
      const layout = evaluationLayout(config, slot, slotOrganisation > 0, names, headerRows, file);
      const writer = new BatchWriter(batchHeader(config, slot, file, rowWidth), rowWidth);
      const dates = new DateColumn(layout.headers.submittedAt, source.dateOrder, source.dateOrderDeclared);
      encoding = { config, dates, codes, expected, slotOrganisation, layout, writer, rowWidth, rejections, firstRowById: new Map(), duplicates: 0, problems: [] };
      options.onWriter(writer);
    },
    responses: (batch) => {
      const at = encoding!;
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        rows++;
        encodeResponse(at, batch.record(i), batch.rows[i]!);
      }
      options.onProgress?.(rows);
      return at.writer.stream.writableNeedDrain ? at.writer.drained() : undefined;
    },
  });
  // Late responses are left out by date: a date that could be read swapped refuses the file.
  const settled = encoding!.dates.settle(true);
  if ("refusal" in settled) throw new FileRejectedError(file, settled.refusal);
  return { facts, writer: encoding!.writer, rows, duplicates: encoding!.duplicates, rejections };
}

/** Every spelling the cycle accepts for an organisation (id, name, aliases), a respondent type and a rating, with its code. */
function evaluationCodes(config: EvaluationConfig, source: ResolvedSource): EvaluationCodes {
  const organisation = new Map<string, number>();
  config.organisations.forEach((registered, index) => {
    for (const name of [registered.id, registered.name, ...registered.aliases]) organisation.set(normalizeLabel(name), index + 1);
  });
  const respondentType = new Map<string, number>();
  config.respondentTypes.forEach((type, index) => {
    for (const value of [type.id, type.label, ...type.values]) respondentType.set(normalizeLabel(value), index + 1);
  });
  // Answers that are not ratings ("Don't know") and the tool's "not answered" values count as no rating (0), like a blank.
  const rating = new Map<string, number>();
  for (const value of [...config.scale.notRatings, ...source.missing]) rating.set(normalizeLabel(value), 0);
  for (const { value, label } of config.scale.ratings) {
    for (const form of [String(value), label, `${value} - ${label}`, `${value} ${label}`]) rating.set(normalizeLabel(form), value);
  }
  return { organisation, respondentType, rating };
}

/** What the rejection report says an organisation, respondent type or rating cell should have held. */
function expectedValues(config: EvaluationConfig): ExpectedValues {
  return {
    organisation: `one of the ${config.organisations.length} registered organisations (id or name, e.g. ${quoteList(config.organisations.slice(0, 2).map((o) => o.name))})`,
    respondentType: `one of ${quoteList(config.respondentTypes.map((type) => type.label))}`,
    rating: `a rating: ${config.scale.ratings.map((r) => `${r.value} or "${r.label}"`).join(", ")}; or ${quoteList(config.scale.notRatings)} or blank`,
  };
}

/** The batch's header line: the cycle, the upload, and the ids its codes stand for. */
function batchHeader(config: EvaluationConfig, slot: string, file: string, rowWidth: number): EvaluationBatchHeader {
  return {
    format: "asye-360-v1",
    cycleId: config.id,
    slot,
    uploadKey: file,
    rowWidth,
    organisations: config.organisations.map((o) => o.id),
    respondentTypes: config.respondentTypes.map((type) => type.id),
    statements: config.statements.map((statement) => statement.number),
  };
}

/**
 * Validates one response and writes it to the batch; a row with any problem goes to the
 * rejection report with all of them, and a response id seen before is a duplicate.
 */
function encodeResponse(encoding: ResponseEncoding, record: string[], row: number): void {
  const { layout: at, problems } = encoding;
  problems.length = 0;
  const cell: CellReader = (column) => (column < 0 ? "" : (record[column] ?? ""));
  const problem: ProblemNote = (column, value, expected) => problems.push({ row, column, value: value.slice(0, 200), expected });
  // A trailing delimiter on every row (a common hand edit) adds one empty field: harmless.
  if (record.length !== at.columnCount && !(record.length === at.columnCount + 1 && record[at.columnCount] === "")) {
    problem("(whole row)", `${record.length} field(s)`, `${at.columnCount} fields, as in the header row`);
    encoding.rejections.reject(problems);
    return;
  }
  const id = at.responseId < 0 ? `row ${row}` : cell(at.responseId).trim();
  if (id === "") problem(at.headers.responseId, "", "a response id (required)");
  const organisation = responseOrganisation(encoding, cell, problem);
  const type = encoding.codes.respondentType.get(normalizeLabel(cell(at.respondentType)));
  if (type === undefined) problem(at.headers.respondentType, cell(at.respondentType), encoding.expected.respondentType);
  const submitted = submittedDate(encoding, cell, problem, row);
  writeRatings(encoding, cell, problem);
  if (problems.length > 0) {
    encoding.rejections.reject(problems);
    return;
  }
  if (seenBefore(encoding, id, row)) return;
  const view = new DataView(encoding.writer.buffer.buffer, encoding.writer.buffer.byteOffset + encoding.writer.used, encoding.rowWidth);
  view.setUint16(EVALUATION_ROW.organisation, organisation, true);
  view.setUint8(EVALUATION_ROW.respondentType, type!);
  view.setUint32(EVALUATION_ROW.submitted, submitted, true);
  encoding.writer.commit();
}

/**
 * The response's organisation code: the one named in its organisation column, which in an
 * organisation's own export must be that organisation; without the column, the slot's.
 */
function responseOrganisation(encoding: ResponseEncoding, cell: CellReader, problem: ProblemNote): number {
  const { layout: at, slotOrganisation } = encoding;
  if (at.organisation < 0) return slotOrganisation;
  const named = encoding.codes.organisation.get(normalizeLabel(cell(at.organisation)));
  if (named === undefined) problem(at.headers.organisation, cell(at.organisation), encoding.expected.organisation);
  else if (slotOrganisation > 0 && named !== slotOrganisation) problem(at.headers.organisation, cell(at.organisation), `"${encoding.config.organisations[slotOrganisation - 1]!.name}": this export was uploaded for that organisation`);
  else return named;
  return slotOrganisation;
}

/** The local date the response was submitted, as YYYYMMDD; 0 when the export has no submission time. */
function submittedDate(encoding: ResponseEncoding, cell: CellReader, problem: ProblemNote, row: number): number {
  const { layout: at, dates } = encoding;
  if (at.submittedAt < 0) return 0;
  const when = dates.read(row, cell(at.submittedAt));
  if (when === undefined) {
    problem(at.headers.submittedAt, cell(at.submittedAt), `a date and time such as ${dates.order === "dmy" ? "28/03/2025 10:15" : "3/28/2025 10:15:00 AM"} or 2025-03-28T10:15:00Z (required)`);
    return 0;
  }
  return when.year * 10_000 + when.month * 100 + when.day;
}

/** Writes the response's rating of each statement into its row of the batch (0: no rating). */
function writeRatings(encoding: ResponseEncoding, cell: CellReader, problem: ProblemNote): void {
  const { layout: at, writer } = encoding;
  const base = writer.used;
  for (let s = 0; s < at.statements.length; s++) {
    const text = cell(at.statements[s]!);
    const rating = text === "" ? 0 : encoding.codes.rating.get(normalizeLabel(text));
    if (rating === undefined) problem(at.headers.statements[s]!, text, encoding.expected.rating);
    else writer.buffer[base + EVALUATION_ROW.ratings + s] = rating;
  }
}

/** True, after reporting the duplicate, when the response id was seen in an earlier row; else remembers it. */
function seenBefore(encoding: ResponseEncoding, id: string, row: number): boolean {
  const firstSeen = encoding.firstRowById.get(id);
  if (firstSeen === undefined) {
    encoding.firstRowById.set(id, row);
    return false;
  }
  encoding.duplicates++;
  encoding.rejections.duplicate({ row, responseId: id, firstRow: firstSeen });
  return true;
}

/** Finds the export's columns; throws FileRejectedError naming every missing one. */
function evaluationLayout(config: EvaluationConfig, slot: string, forOneOrganisation: boolean, names: string[], headerRows: string[][], file: string): EvaluationLayout {
  const source = resolveSource(config.source);
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    if (!positions.has(normalizeLabel(name))) positions.set(normalizeLabel(name), index);
  });
  const missing: string[] = [];
  const find = (header: string, required: boolean) => {
    const found = positions.get(normalizeLabel(header));
    if (found === undefined && required) missing.push(header);
    return found ?? -1;
  };
  const statementHeaders = config.statements.map((statement) => statementHeader(config, statement));
  const layout: EvaluationLayout = {
    columnCount: names.length,
    responseId: source.columns.responseId === ROW_NUMBER_ID ? -1 : find(source.columns.responseId, true),
    submittedAt: find(source.columns.submittedAt, source.submittedAtRequired || config.inclusion.submittedBy !== undefined),
    organisation: find(config.columns.organisation, !forOneOrganisation),
    respondentType: find(config.columns.respondentType, true),
    statements: statementHeaders.map((header) => find(header, true)),
    headers: {
      responseId: source.columns.responseId,
      submittedAt: source.columns.submittedAt,
      organisation: config.columns.organisation,
      respondentType: config.columns.respondentType,
      statements: statementHeaders,
    },
  };
  if (missing.length > 0) throw new FileRejectedError(file, describeHeaderMismatch({ group: slot, source, names, headerRows, missing, repeated: [] }));
  return layout;
}
