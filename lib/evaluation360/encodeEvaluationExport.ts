import { FileRejectedError } from "../errors.ts";
import { BatchWriter } from "../ingest/batchWriter.ts";
import type { EncodedUpload } from "../survey/ingest/encodeExport.ts";
import type { RowProblem } from "../ingest/rejectionReport.ts";
import { quoteList } from "../ingest/quoteList.ts";
import { describeHeaderMismatch } from "../ingest/headerMismatch.ts";
import { RejectionCollector } from "../ingest/rejectionReport.ts";
import { readExport } from "../sources/exportRows.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { parseDateTime } from "../sources/parseDateTime.ts";
import { ROW_NUMBER_ID, resolveSource } from "../sources/resolveSource.ts";
import { EVALUATION_ROW, type EvaluationBatchHeader } from "./evaluationBatch.ts";
import { type EvaluationConfig, statementHeader } from "./evaluationConfig.ts";

/** The upload slot of an export holding every organisation's responses. */
export const ALL_ORGANISATIONS_SLOT = "responses";

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
): Promise<EncodedUpload> {
  const { config, slot, file } = options;
  const source = resolveSource(config.source);
  const organisationOf = new Map<string, number>();
  config.organisations.forEach((organisation, index) => {
    for (const name of [organisation.id, organisation.name, ...organisation.aliases]) organisationOf.set(normalizeLabel(name), index + 1);
  });
  const typeOf = new Map<string, number>();
  config.respondentTypes.forEach((type, index) => {
    for (const value of [type.id, type.label, ...type.values]) typeOf.set(normalizeLabel(value), index + 1);
  });
  const ratingOf = new Map<string, number>();
  for (const value of [...config.scale.notRatings, ...source.missing]) ratingOf.set(normalizeLabel(value), 0);
  for (const rating of config.scale.ratings) {
    for (const form of [String(rating.value), rating.label, `${rating.value} - ${rating.label}`, `${rating.value} ${rating.label}`]) ratingOf.set(normalizeLabel(form), rating.value);
  }
  const slotOrganisation = slot === ALL_ORGANISATIONS_SLOT ? 0 : config.organisations.findIndex((o) => o.id === slot) + 1;
  const expected = {
    organisation: `one of the ${config.organisations.length} registered organisations (id or name, e.g. ${quoteList(config.organisations.slice(0, 2).map((o) => o.name))})`,
    respondentType: `one of ${quoteList(config.respondentTypes.map((type) => type.label))}`,
    rating: `a rating: ${config.scale.ratings.map((r) => `${r.value} or "${r.label}"`).join(", ")}; or ${quoteList(config.scale.notRatings)} or blank`,
  };
  const rowWidth = EVALUATION_ROW.ratings + config.statements.length;
  const rejections = new RejectionCollector();
  const firstRowById = new Map<string, number>();
  const problems: RowProblem[] = [];
  let layout: EvaluationLayout | undefined;
  let writer: BatchWriter | undefined;
  let rows = 0;
  let duplicates = 0;

  const facts = await readExport(chunks, file, source, {
    header: (names, headerRows) => {
      layout = evaluationLayout(config, slot, slotOrganisation > 0, names, headerRows, file);
      const header: EvaluationBatchHeader = {
        format: "asye-360-v1",
        cycleId: config.id,
        slot,
        uploadKey: file,
        rowWidth,
        organisations: config.organisations.map((o) => o.id),
        respondentTypes: config.respondentTypes.map((type) => type.id),
        statements: config.statements.map((statement) => statement.number),
      };
      writer = new BatchWriter(header, rowWidth);
      options.onWriter(writer);
    },
    responses: (batch) => {
      const at = layout!;
      const out = writer!;
      rows += rejections.unreadable(batch.problems);
      for (let i = batch.first; i < batch.length; i++) {
        const record = batch.record(i);
        const row = batch.rows[i]!;
        rows++;
        problems.length = 0;
        const cell = (column: number) => (column < 0 ? "" : (record[column] ?? ""));
        const problem = (column: string, value: string, what: string) => problems.push({ row, column, value: value.slice(0, 200), expected: what });
        if (record.length !== at.columnCount && !(record.length === at.columnCount + 1 && record[at.columnCount] === "")) {
          problem("(whole row)", `${record.length} field(s)`, `${at.columnCount} fields, as in the header row`);
          rejections.reject(problems);
          continue;
        }
        const id = at.responseId < 0 ? `row ${row}` : cell(at.responseId).trim();
        if (id === "") problem(at.headers.responseId, "", "a response id (required)");
        let organisation = slotOrganisation;
        if (at.organisation >= 0) {
          const named = organisationOf.get(normalizeLabel(cell(at.organisation)));
          if (named === undefined) problem(at.headers.organisation, cell(at.organisation), expected.organisation);
          else if (slotOrganisation > 0 && named !== slotOrganisation) problem(at.headers.organisation, cell(at.organisation), `"${config.organisations[slotOrganisation - 1]!.name}": this export was uploaded for that organisation`);
          else organisation = named;
        }
        const type = typeOf.get(normalizeLabel(cell(at.respondentType)));
        if (type === undefined) problem(at.headers.respondentType, cell(at.respondentType), expected.respondentType);
        let submitted = 0;
        if (at.submittedAt >= 0) {
          const when = parseDateTime(cell(at.submittedAt), source.dateOrder);
          if (when === undefined) problem(at.headers.submittedAt, cell(at.submittedAt), `a date and time such as ${source.dateOrder === "dmy" ? "28/03/2025 10:15" : "3/28/2025 10:15:00 AM"} or 2025-03-28T10:15:00Z (required)`);
          else submitted = when.year * 10_000 + when.month * 100 + when.day;
        }
        const base = out.used;
        for (let s = 0; s < at.statements.length; s++) {
          const text = cell(at.statements[s]!);
          const rating = text === "" ? 0 : ratingOf.get(normalizeLabel(text));
          if (rating === undefined) problem(at.headers.statements[s]!, text, expected.rating);
          else out.buffer[base + EVALUATION_ROW.ratings + s] = rating;
        }
        if (problems.length > 0) {
          rejections.reject(problems);
          continue;
        }
        const firstSeen = firstRowById.get(id);
        if (firstSeen !== undefined) {
          duplicates++;
          rejections.duplicate({ row, responseId: id, firstRow: firstSeen });
          continue;
        }
        firstRowById.set(id, row);
        const view = new DataView(out.buffer.buffer, out.buffer.byteOffset + base, rowWidth);
        view.setUint16(EVALUATION_ROW.organisation, organisation, true);
        view.setUint8(EVALUATION_ROW.respondentType, type!);
        view.setUint32(EVALUATION_ROW.submitted, submitted, true);
        out.commit();
      }
      options.onProgress?.(rows);
      return out.stream.writableNeedDrain ? out.drained() : undefined;
    },
  });
  return { facts, writer: writer!, rows, duplicates, rejections, tokenHashes: new Set(), openText: {} };
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
