import { hasCells, type SourcePreset } from "./preset.ts";

/**
 * SurveyMonkey's "All responses data" CSV (expanded): two header rows, the second saying
 * `Response` or `Open-Ended Response` under single-answer questions; `Respondent ID`,
 * `Start Date`, `End Date` in US form (01/20/2025 10:15:32 AM).
 */
export const surveymonkeyPreset: SourcePreset = {
  tool: "surveymonkey",
  name: "SurveyMonkey",
  headerRows: 2,
  skipRows: 0,
  placeholders: ["Response", "Open-Ended Response"],
  columns: { responseId: "Respondent ID", submittedAt: "End Date", serviceArea: "service_area" },
  submittedAtRequired: false,
  dateOrder: "mdy",
  delimiter: "auto",
  encoding: "auto",
  missing: [],
  multiSelect: "one column per option, the option's label when chosen",
  looksLike: (rows) => hasCells(rows.slice(0, 1), "Respondent ID", "Collector ID"),
};
