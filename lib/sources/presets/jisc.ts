import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * JISC Online Surveys' response export (CSV or XLSX): `Response ID`, `Started`,
 * `Completed` (UK dates), one column per question, numbered like `1.a. …`; multiple
 * choice as one column per option, the option's label when chosen.
 */
export const jiscPreset: SourcePreset = {
  tool: "jisc",
  name: "JISC Online Surveys",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "Response ID", submittedAt: "Completed", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: "one column per option, the option's label when chosen",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "Response ID", "Started", "Completed"),
};
