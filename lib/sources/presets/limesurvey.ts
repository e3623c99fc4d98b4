import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * LimeSurvey's "Export responses" CSV with question codes as headings (`Q5[SQ001]`):
 * `id`, `submitdate` (2025-01-20 10:15:32), answer codes (`AO01`, declared per scale as
 * `codes`) or full answers; multiple choice as one column per option, `Y` when chosen.
 * Not-shown questions may read `N/A`.
 */
export const limesurveyPreset: SourcePreset = {
  tool: "limesurvey",
  name: "LimeSurvey",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "id", submittedAt: "submitdate", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: ["N/A"],
  multiSelect: "one column per option, Y when chosen",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "submitdate", "lastpage"),
};
