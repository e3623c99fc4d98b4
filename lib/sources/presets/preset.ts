import type { Delimiter } from "../detectDelimiter.ts";
import type { TextEncodingName } from "../decodeText.ts";
import type { DateOrder, SourceTool } from "../sourceSchema.ts";

/** What one survey tool's export looks like, so it can be read exactly as exported. */
export interface SourcePreset {
  tool: SourceTool;
  /** The tool's name, for people. */
  name: string;
  /** Rows combined into column names. */
  headerRows: number;
  /** Rows after the header that are not responses. */
  skipRows: number;
  /** Second-header-row texts that only say "one answer here" and are not part of the name. */
  placeholders: string[];
  columns: { responseId: string; submittedAt: string; serviceArea: string };
  /** Whether the completion-time column must be there (only for our own CSV format). */
  submittedAtRequired: boolean;
  dateOrder: DateOrder;
  delimiter: Delimiter | "auto";
  encoding: TextEncodingName | "auto";
  /** Values meaning "not answered", besides blank. */
  missing: string[];
  /** How the tool writes a multi-select question, for people (and the README). */
  multiSelect: string;
  /** True when a header (its first rows, as read) looks like this tool's. */
  looksLike: (rows: string[][]) => boolean;
}

/**
 * True when every name appears among the cells of the rows (ignoring case). One pass that
 * makes nothing of blank cells: a header of a million empty cells is asked this by every preset.
 */
export function hasCells(rows: string[][], ...names: string[]): boolean {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const seen = new Set<string>();
  for (const row of rows) {
    for (const cell of row) {
      if (cell === "") continue;
      const key = cell.trim().toLowerCase();
      if (wanted.has(key)) seen.add(key);
    }
  }
  return seen.size === wanted.size;
}
