import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * Snap Surveys' (Snap XMP) CSV data export: Windows-1252 text, `RespondentID` and
 * `Completed` (UK dates), variables named `Q1`, `Q5_1`…; answers as codes (declared per
 * scale) or labels; multiple choice as one column per option, 1 when chosen and 0 when not.
 */
export const snapPreset: SourcePreset = {
  tool: "snap",
  name: "Snap Surveys",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "RespondentID", submittedAt: "Completed", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "windows-1252",
  missing: [],
  multiSelect: "one column per option, 1 when chosen and 0 when not",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "RespondentID"),
};
