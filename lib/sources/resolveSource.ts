import { PRESETS } from "./presets/index.ts";
import type { SourcePreset } from "./presets/preset.ts";
import { OPTION_MARKS, type SourceConfig } from "./sourceSchema.ts";

/** A group's source with every setting decided: the preset with the cycle file's overrides. */
export type ResolvedSource = Pick<
  SourcePreset,
  "headerRows" | "skipRows" | "placeholders" | "columns" | "submittedAtRequired" | "dateOrder" | "delimiter" | "encoding" | "missing"
> & {
  preset: SourcePreset;
  sheet?: string;
  /** Whether the cycle file names the service-area column (then the export must have it; else it may leave it out). */
  serviceAreaDeclared: boolean;
  /** What a blank completion time means: an incomplete response left out, or one kept. */
  incomplete: "exclude" | "include";
  /** Whether the cycle file says the date order (else the tool's default, which a column's dates may overrule). */
  dateOrderDeclared: boolean;
  /** Marks read in an option's own column: the usual ones and the cycle file's. */
  marks: { chosen: string[]; notChosen: string[] };
};

/** The value of `columns.responseId` that numbers responses by their row. */
export const ROW_NUMBER_ID = "@row";

/** Applies a group's `source` overrides to its tool's preset. */
export function resolveSource(source: SourceConfig | undefined): ResolvedSource {
  const preset = PRESETS[source?.tool ?? "csv"];
  return {
    preset,
    headerRows: source?.headerRows ?? preset.headerRows,
    skipRows: source?.skipRows ?? preset.skipRows,
    placeholders: preset.placeholders,
    columns: { ...preset.columns, ...source?.columns },
    submittedAtRequired: preset.submittedAtRequired || source?.columns?.submittedAt !== undefined,
    dateOrder: source?.dateOrder ?? preset.dateOrder,
    dateOrderDeclared: source?.dateOrder !== undefined,
    incomplete: source?.incomplete ?? "exclude",
    serviceAreaDeclared: source?.columns?.serviceArea !== undefined,
    delimiter: source?.delimiter ?? preset.delimiter,
    encoding: source?.encoding ?? preset.encoding,
    missing: source?.missing ?? preset.missing,
    marks: {
      chosen: [...OPTION_MARKS.chosen, ...(source?.marks?.chosen ?? [])],
      notChosen: [...OPTION_MARKS.notChosen, ...(source?.marks?.notChosen ?? [])],
    },
    ...(source?.sheet === undefined ? {} : { sheet: source.sheet }),
  };
}
