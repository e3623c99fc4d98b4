import { hasCells, type SourcePreset } from "./preset.ts";

/** Our own CSV layout: one header row with response_id, submitted_at and service_area. */
export const csvPreset: SourcePreset = {
  tool: "csv",
  name: "CSV (response_id, submitted_at, service_area)",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "response_id", submittedAt: "submitted_at", serviceArea: "service_area" },
  submittedAtRequired: true,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: "one column per option",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "response_id"),
};
