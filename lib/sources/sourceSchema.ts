import { z } from "zod";
import { DELIMITERS } from "./detectDelimiter.ts";
import { TEXT_ENCODINGS } from "./decodeText.ts";
import { normalizeLabel } from "./normalizeLabel.ts";

/** The survey tools whose exports are read as exported. */
export const SOURCE_TOOLS = ["csv", "smartsurvey", "surveymonkey", "qualtrics", "msforms", "googleforms", "limesurvey", "jisc", "snap"] as const;
export type SourceTool = (typeof SOURCE_TOOLS)[number];

/** How slashed dates are read: day first (UK, 20/01/2025) or month first (US, 01/20/2025). */
export const DATE_ORDERS = ["dmy", "mdy"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** The marks every option's own column is read with: chosen (besides the option's label and id) and not chosen (besides blank). */
export const OPTION_MARKS: { readonly chosen: readonly string[]; readonly notChosen: readonly string[] } = {
  chosen: ["1", "Y", "Yes", "Selected", "TRUE", "true", "checked", "x", "X", "✓", "✔"],
  notChosen: ["0", "N", "No", "Not selected", "FALSE", "false", "unchecked"],
};

/** Whether one mark is read as both chosen and not chosen (compared as cells are: case, accents and spacing aside). */
function marksClash(marks: { chosen: string[]; notChosen: string[] }): boolean {
  const chosen = new Set([...OPTION_MARKS.chosen, ...marks.chosen].map(normalizeLabel));
  return [...OPTION_MARKS.notChosen, ...marks.notChosen].some((mark) => chosen.has(normalizeLabel(mark)));
}

/**
 * Where a group's export comes from (`groups[].source` in the cycle file): a tool preset and
 * overrides. Anything left out comes from the preset.
 */
export const sourceSchema = z.strictObject({
  tool: z.enum(SOURCE_TOOLS).default("csv"),
  /** The export's own columns for the fields every response has. */
  columns: z
    .strictObject({
      /** `"@row"` numbers responses by row, for tools without an id (Google Forms). */
      responseId: z.string().min(1).optional(),
      submittedAt: z.string().min(1).optional(),
      serviceArea: z.string().min(1).optional(),
    })
    .default({}),
  /** Rows combined into column names (2 for SmartSurvey and SurveyMonkey). */
  headerRows: z.number().int().min(1).max(3).optional(),
  /** Rows after the header to skip (Qualtrics: its question-text and ImportId rows). */
  skipRows: z.number().int().min(0).max(10).optional(),
  delimiter: z.enum([...DELIMITERS, "auto"]).optional(),
  encoding: z.enum([...TEXT_ENCODINGS, "auto"]).optional(),
  dateOrder: z.enum(DATE_ORDERS).optional(),
  /**
   * What a blank completion time means: `exclude` (the default: an incomplete response, left out
   * and counted in the report, as LimeSurvey writes them) or `include` (a response like any other).
   */
  incomplete: z.enum(["exclude", "include"]).optional(),
  /** Values meaning "not answered" in every column (e.g. "-99"), besides blank; in an option's own column, not chosen. */
  missing: z.array(z.string()).optional(),
  /**
   * Marks that mean an option was chosen, or not, in a column of its own, besides the usual
   * ones ({@link OPTION_MARKS}): e.g. `{ "chosen": ["●"], "notChosen": ["-"] }`.
   */
  marks: z
    .strictObject({ chosen: z.array(z.string().min(1)).default([]), notChosen: z.array(z.string().min(1)).default([]) })
    .refine((marks) => !marksClash(marks), {
      message: `a mark can mean chosen or not chosen, not both (already chosen: ${OPTION_MARKS.chosen.join(" ")}; not chosen: ${OPTION_MARKS.notChosen.join(" ")})`,
    })
    .optional(),
  /** The worksheet to read from an .xlsx export (default: the first). */
  sheet: z.string().min(1).optional(),
});

/** A group's source as written in the cycle file. */
export type SourceConfig = z.infer<typeof sourceSchema>;
