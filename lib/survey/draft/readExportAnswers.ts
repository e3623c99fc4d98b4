import type { RecordBatch } from "../../csv/recordBatch.ts";
import { type ExportFacts, readExport } from "../../sources/exportRows.ts";
import { PRESETS, toolsLookingLike } from "../../sources/presets/index.ts";
import type { SourcePreset } from "../../sources/presets/preset.ts";
import { type ResolvedSource, resolveSource } from "../../sources/resolveSource.ts";
import type { SourceTool } from "../../sources/sourceSchema.ts";
import { ColumnAnswers } from "./columnAnswers.ts";

/** Opens the export's bytes from the start, each time it is called (it is read twice: its front, then all of it). */
export type OpenExport = () => AsyncIterable<Uint8Array>;

/**
 * The separator with which a tool writes every choice of a multi-select question in one cell
 * (the presets' `multiSelect`): the tools not listed write one column per option.
 */
export const CELL_SEPARATORS: Partial<Record<SourceTool, string>> = { googleforms: ", ", msforms: ";", qualtrics: "," };

/** How many rows from the front of a file its tool is recognised by (Qualtrics' ImportId row is the third). */
const ROWS_RECOGNISED_BY = 3;

/** How the tool was settled: by the header, by `--tool`, or (no tool recognised) our own CSV layout. */
export type ToolSettledBy = "header" | "option" | "default";

/** An export as `asye init` reads it: how it was read, its header and what each column holds. */
export interface ExportAnswers {
  file: string;
  preset: SourcePreset;
  settledBy: ToolSettledBy;
  /** The tools the header looks like (the presets' `looksLike`), most specific first. */
  looksLike: SourcePreset[];
  source: ResolvedSource;
  facts: ExportFacts;
  /** Column names, as ingest makes them from the header rows; and the header rows as read. */
  names: string[];
  headerRows: string[][];
  /** Response rows read, and rows that could not be read as records. */
  responses: number;
  unreadableRows: number;
  columns: ColumnAnswers[];
}

/**
 * Reads an export the way ingest does (the same reader: encoding, delimiter, `sep=` line, gzip,
 * header rows, skipped rows, workbooks) into what each column holds, streaming the whole file
 * once, never holding it. The tool is the one `tool` names, else the one its first rows look
 * like, else our own CSV layout. Throws FileRejectedError for a file that is no export.
 */
export async function readExportAnswers(open: OpenExport, file: string, tool?: SourceTool): Promise<ExportAnswers> {
  const looksLike = toolsLookingLike(await firstRows(open, file));
  const preset = tool !== undefined ? PRESETS[tool] : (looksLike[0] ?? PRESETS.csv);
  const settledBy: ToolSettledBy = tool !== undefined ? "option" : looksLike.length > 0 ? "header" : "default";
  const source = resolveSource({ tool: preset.tool, columns: {} });
  const separator = CELL_SEPARATORS[preset.tool];
  let names: string[] = [];
  let headerRows: string[][] = [];
  let columns: ColumnAnswers[] = [];
  let responses = 0;
  let unreadableRows = 0;
  const facts = await readExport(open(), file, source, {
    header: (read, rows) => {
      [names, headerRows] = [read, rows];
      columns = read.map(() => new ColumnAnswers(separator));
    },
    responses: (batch) => {
      unreadableRows += batch.problems.length;
      responses += takeAnswers(batch, columns);
      return undefined;
    },
  });
  return { file, preset, settledBy, looksLike, source, facts, names, headerRows, responses, unreadableRows, columns };
}

/** Hands each cell of a batch's responses to its column; the number of responses. */
function takeAnswers(batch: RecordBatch, columns: ColumnAnswers[]): number {
  for (let i = batch.first; i < batch.length; i++) {
    const cells = batch.record(i);
    const width = Math.min(cells.length, columns.length);
    for (let c = 0; c < width; c++) columns[c]!.add(cells[c]!);
  }
  return batch.length - batch.first;
}

/** Stops reading once the front of the file is in. */
class FrontRead extends Error {}

/** The first rows of the file, header included, read as text with one header row (enough for any preset's `looksLike`). */
async function firstRows(open: OpenExport, file: string): Promise<string[][]> {
  const rows: string[][] = [];
  const source = resolveSource({ tool: "csv", columns: {}, headerRows: 1 });
  try {
    await readExport(open(), file, source, {
      header: (_names, headerRows) => void rows.push(...headerRows),
      responses: (batch) => {
        for (let i = batch.first; i < batch.length && rows.length < ROWS_RECOGNISED_BY; i++) rows.push(batch.record(i));
        if (rows.length >= ROWS_RECOGNISED_BY) throw new FrontRead();
        return undefined;
      },
    });
  } catch (error) {
    // The workbook reader wraps what stopped it as a FileRejectedError.
    if (!(error instanceof FrontRead) && !((error as Error).cause instanceof FrontRead)) throw error;
  }
  return rows;
}
