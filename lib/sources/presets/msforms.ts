import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * Microsoft Forms' "Open results in Excel" workbook (.xlsx only): `ID`, `Start time`,
 * `Completion time` (date cells, local time), `Email`, `Name`, then one column per question;
 * a multi-select answer is one cell, each choice followed by `;` (`A;B;`).
 */
export const msformsPreset: SourcePreset = {
  tool: "msforms",
  name: "Microsoft Forms",
  headerRows: 1,
  skipRows: 0,
  placeholders: [],
  columns: { responseId: "ID", submittedAt: "Completion time", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "dmy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: 'one cell, each choice followed by ";"',
  looksLike: (rows) => hasCells(rows.slice(0, 1), "Start time", "Completion time"),
};
