import type { SourcePreset } from "./preset.ts";

/**
 * Google Forms' CSV download: `Timestamp` (2025/01/20 10:15:32 AM GMT) and one column per
 * question, no response id (responses are numbered by row); a multi-select answer is one
 * cell with the choices separated by ", ".
 */
export const googleformsPreset: SourcePreset = {
  tool: "googleforms",
  name: "Google Forms",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "@row", submittedAt: "Timestamp", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: 'one cell, choices separated by ", "',
  looksLike: (rows) => (rows[0]?.[0] ?? "").trim() === "Timestamp",
};
