import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * SmartSurvey's CSV/XLSX export: two header rows (question text over the blank cells to its
 * right, then the sub-question or option), `UserNo`, `Started` and `Ended` (UK dates).
 */
export const smartsurveyPreset: SourcePreset = {
  tool: "smartsurvey",
  name: "SmartSurvey",
  headerRows: 2,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "UserNo", submittedAt: "Ended", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: "one column per option, the option's label when chosen",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "UserNo", "Ended"),
};
