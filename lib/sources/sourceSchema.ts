import { z } from "zod";
import { DELIMITERS } from "./detectDelimiter.ts";
import { TEXT_ENCODINGS } from "./decodeText.ts";

/** The survey tools whose exports are read as exported. */
export const SOURCE_TOOLS = ["csv", "smartsurvey", "surveymonkey", "qualtrics", "msforms", "googleforms", "limesurvey", "jisc", "snap"] as const;
export type SourceTool = (typeof SOURCE_TOOLS)[number];

/** How slashed dates are read: day first (UK, 20/01/2025) or month first (US, 01/20/2025). */
export const DATE_ORDERS = ["dmy", "mdy"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

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
  /** Values meaning "not answered" in every column (e.g. "-99"), besides blank. */
  missing: z.array(z.string()).optional(),
  /** The worksheet to read from an .xlsx export (default: the first). */
  sheet: z.string().min(1).optional(),
});

/** A group's source as written in the cycle file. */
export type SourceConfig = z.infer<typeof sourceSchema>;
