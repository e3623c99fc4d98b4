import type { SourcePreset } from "./preset.ts";

/**
 * Qualtrics' CSV export: columns named by the first header row (`Q2_1`); the second row
 * (question text) and third (`{"ImportId":…}`) are skipped. `ResponseId`, `RecordedDate`
 * (2025-01-20 10:15:32); "seen but not answered" may be -99.
 */
export const qualtricsPreset: SourcePreset = {
  tool: "qualtrics",
  name: "Qualtrics",
  headerRows: 1,
  skipRows: 2,
  placeholders: [],
  columns: { responseId: "ResponseId", submittedAt: "RecordedDate", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: ["-99"],
  multiSelect: "one cell with the choices separated by commas (unsplit), or one column per choice when split",
  looksLike: (rows) => rows.slice(0, 3).some((row) => row.some((cell) => cell.includes('"ImportId"') || cell.includes("{'ImportId'"))) || (rows[0] ?? []).includes("ResponseId"),
};
