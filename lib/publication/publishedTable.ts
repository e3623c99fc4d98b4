/**
 * A cell of a published table: a number, text, or one of the Analysis Function's symbols:
 * `[c]` confidential (suppressed), `[z]` not applicable, `[x]` not available.
 */
export type TableCell = string | number;

/** The notes every workbook carries; cells and titles refer to them as [note 1], … */
export const TABLE_NOTES = {
  suppressed: "[c] marks a figure withheld because fewer than the threshold of respondents answered (n<30 by default): it is not shown, nor anything that would reveal it.",
  complementary: "[c] also marks a figure hidden to protect another: shown, it and the figures beside it would let a hidden figure be worked out, exactly or as 0% or 100% (for example an all-groups figure when one group is under the threshold, or when the hidden groups all agreed).",
  notApplicable: "[z] marks a cell that does not apply (for example an answer the item does not offer, or the change for an option new this year).",
  notAvailable: "[x] marks a figure that is not available (for example last year's rank when the previous cycle has no results).",
  percentages: "Percentages are of valid answers (blanks and answers such as \"don't know\" or \"not used\" are not in the base), rounded half up; an answer outside the base (such as \"not used\") is given as a share of every answer, \"(of all answers)\", as the charts draw it. 95% intervals are Wilson score intervals.",
  rankings: "Multi-select questions: the percentage is of respondents who answered the question, not of selections; tied options share a rank.",
  // Added last, so the notes before it keep their numbers.
  serviceAreaNotAsked: "[x] in the service-area columns of Table 6: the group's export has no service-area question, so its responses are counted without the child and family / both split (in Responses only).",
  weighted: "Weighted figures: the group's respondents weighted (raked) to its population by region and employer type, beside the unweighted figures. Weighting corrects for who answered on those margins only; the effective n says how precise the weighted figure is. Figures are withheld ([c]) by the unweighted base.",
  responseRateNotAvailable:
    "[x] in a response rate: the recipient list (or, without one, the delivered count in the cycle file) covers fewer people than responded, so the rate would be over 100% and is not published. The total's rate is not published either, since its delivered count includes the group's. The rate is published once the complete list or a corrected count is loaded and the results computed again.",
} as const;

export type NoteId = keyof typeof TABLE_NOTES;

/** One table as a statistician publishes it: one per sheet and per CSV file. */
export interface PublishedTable {
  /** File-safe id (CSV name) and the sheet's name (at most 31 characters). */
  id: string;
  sheet: string;
  title: string;
  notes: NoteId[];
  columns: string[];
  rows: TableCell[][];
}

const C = "[c]";
const Z = "[z]";
const X = "[x]";

/** The symbols a cell may hold instead of a number. */
export const TABLE_SYMBOLS = { confidential: C, notApplicable: Z, notAvailable: X } as const;
