import { Writable } from "node:stream";
import type { CycleConfig } from "../config/cycleConfig.ts";
import { FileRejectedError } from "../../errors.ts";
import type { IngestCounts } from "../../ports/ingestLedger.ts";
import { toolsLookingLike } from "../../sources/presets/index.ts";
import { refusalOfAcceptedShare } from "../../ingest/acceptedShareGuard.ts";
import { encodeExport } from "./encodeExport.ts";
import type { ExportLayout } from "./exportLayout.ts";
import { SERVICE_AREA } from "./batchFormat.ts";
import { groupSource } from "./exportLayout.ts";
import type { DuplicateResponse } from "../../ingest/rejectionReport.ts";
import { encodeRow, type RowProblem } from "./encodeRow.ts";

/** One field of the questionnaire and the export column it is read from. */
export interface ColumnMapping {
  field: string;
  header: string;
  /** 1-based column number in the export, or undefined when responses are numbered by row. */
  column: number | undefined;
}

/** What ingest would make of an export, without storing or publishing anything. */
export interface ExportCheck {
  file: string;
  group: string;
  /** The tool the cycle file names, and the tools the header looks like. */
  tool: string;
  looksLike: string[];
  format: "csv" | "xlsx";
  compression?: "gzip";
  encoding?: string;
  delimiter?: string;
  /** What a person should know although the file was read (cells whose bytes were not valid text, in columns not read). */
  warnings?: string[];
  mapping: ColumnMapping[];
  /** The first accepted responses, each field as read and as understood. */
  sample: { row: number; fields: { field: string; read: string; understood: string }[] }[];
  counts: IngestCounts;
  problems: RowProblem[];
  problemsByColumn: Record<string, number>;
  duplicates: DuplicateResponse[];
  /** Why ingest would refuse the file, if it would. */
  refused?: string;
  /** The completion times' order, as settled from all of them (inferred: not the tool's default). */
  dateOrder?: { order: string; inferred: boolean };
}

/**
 * Reads an export exactly as ingest does (the same reader, layout and validation) and says what
 * it found: tool, encoding, delimiter, the column of every field, the first responses decoded,
 * the counts and problems, and whether the accepted-share guard would refuse it. A file ingest
 * would reject outright throws FileRejectedError with the same message.
 */
export async function checkExport(chunks: AsyncIterable<Uint8Array>, config: CycleConfig, group: string, file: string, sampleSize = 3): Promise<ExportCheck> {
  if (!config.groups.some((g) => g.id === group)) {
    throw new FileRejectedError(file, `unknown group "${group}" for cycle ${config.id} (groups: ${config.groups.map((g) => g.id).join(", ")})`);
  }
  const encoded = await encodeExport(chunks, {
    config,
    group,
    file,
    sample: sampleSize,
    onWriter: (writer) => writer.stream.pipe(new Writable({ write: (_chunk, _encoding, done) => done() })),
  });
  encoded.writer.end();
  const incomplete = encoded.rejections.incompleteRows;
  const counts: IngestCounts = { rows: encoded.rows, accepted: encoded.writer.rows, rejected: encoded.rejections.rejectedRows, duplicates: encoded.duplicates, ...(incomplete > 0 ? { incomplete } : {}) };
  const refused = counts.rows === 0 ? "the file has a header row but no responses" : refusalOfAcceptedShare(counts, config.minimumAcceptedShare, encoded.rejections.problemsByColumn);
  const layout = encoded.layout;
  return {
    file,
    group,
    tool: groupSource(config, group).preset.tool,
    looksLike: toolsLookingLike(encoded.facts.headerRows).map((preset) => preset.tool),
    format: encoded.facts.format,
    ...(encoded.facts.encoding ? { encoding: encoded.facts.encoding } : {}),
    ...(encoded.facts.delimiter ? { delimiter: encoded.facts.delimiter } : {}),
    ...(encoded.facts.compression ? { compression: encoded.facts.compression } : {}),
    ...(encoded.facts.warnings ? { warnings: encoded.facts.warnings } : {}),
    mapping: mappingOf(layout),
    sample: encoded.sample.map(({ row, cells }) => ({ row, fields: understood(layout, cells, row) })),
    counts,
    problems: encoded.rejections.problems,
    problemsByColumn: encoded.rejections.problemsByColumn,
    duplicates: encoded.rejections.duplicates,
    ...(refused === undefined ? {} : { refused }),
    ...(encoded.dateOrder ? { dateOrder: encoded.dateOrder } : {}),
  };
}

/** What a service-area code means, whichever of its list's answers the cell held. */
const SERVICE_AREA_MEANING: Record<number, string> = {
  [SERVICE_AREA.childAndFamilyOnly]: "child and family only (serviceArea.childAndFamilyOnly)",
  [SERVICE_AREA.both]: "both child and family and adult services (serviceArea.both)",
};

function mappingOf(layout: ExportLayout): ColumnMapping[] {
  const at = (column: number) => (column < 0 ? undefined : column + 1);
  const mapping: ColumnMapping[] = [
    { field: "response id", header: layout.responseIdHeader, column: at(layout.responseId) },
    ...(layout.submittedAt >= 0 ? [{ field: "completion time", header: layout.submittedAtHeader, column: at(layout.submittedAt) }] : []),
  ];
  if (layout.serviceArea.column >= 0) mapping.push({ field: layout.serviceArea.id, header: layout.serviceArea.header, column: at(layout.serviceArea.column) });
  for (const coded of [...layout.items, ...layout.subgroupVariables]) mapping.push({ field: coded.id, header: coded.header, column: at(coded.column) });
  for (const question of layout.multiSelect) {
    if (question.delimited) mapping.push({ field: `${question.id} (all choices)`, header: question.delimited.header, column: at(question.delimited.column) });
    for (const option of question.options) mapping.push({ field: `${question.id}: ${option.id}`, header: option.header, column: at(option.column) });
  }
  return mapping;
}

/** Each field of one accepted response: the cell as read and what ingest encoded it as. */
function understood(layout: ExportLayout, cells: string[], row: number): { field: string; read: string; understood: string }[] {
  const encoded = new Uint8Array(layout.rowWidth);
  encodeRow(layout, cells, row, encoded, 0, []);
  const header = layout.header;
  const fields = [
    { field: "response id", read: layout.responseId < 0 ? "" : cells[layout.responseId]!, understood: layout.responseId < 0 ? `row ${row}` : cells[layout.responseId]!.trim() },
    ...(layout.serviceArea.column < 0 ? [] : [{ field: layout.serviceArea.id, read: cells[layout.serviceArea.column]!, understood: SERVICE_AREA_MEANING[encoded[layout.serviceArea.offset]!] ?? "(not answered)" }]),
    ...layout.items.map((item, i) => {
      const code = encoded[item.offset]!;
      return { field: item.id, read: cells[item.column]!, understood: code === 0 ? "(not answered)" : header.items[i]!.categories[code - 1]! };
    }),
    ...layout.subgroupVariables.map((variable, i) => {
      const code = encoded[variable.offset]!;
      return { field: variable.id, read: cells[variable.column]!, understood: code === 0 ? "(no subgroup)" : header.subgroupVariables[i]!.subgroups[code - 1]! };
    }),
  ];
  layout.multiSelect.forEach((question, q) => {
    const read = question.delimited ? cells[question.delimited.column]! : question.options.map((o) => cells[o.column]!).join(" | ");
    const chosen = header.multiSelect[q]!.options.filter((_, i) => (encoded[question.offset + (i >> 3)]! >> (i & 7)) & 1);
    fields.push({ field: question.id, read, understood: chosen.length === 0 ? "(none chosen)" : chosen.join(", ") });
  });
  return fields;
}
