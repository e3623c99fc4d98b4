import { describe, expect, it } from "vitest";
import { NOT_QUOTED, type RejectionReport, storedRejectionReport } from "../lib/ingest/rejectionReport.ts";

const report: RejectionReport = {
  file: "uploads/c/leads/a.csv",
  cycleId: "c",
  group: "leads",
  etag: "e",
  rows: 3,
  accepted: 1,
  rejectedRows: 2,
  duplicates: [{ row: 4, responseId: "jo@example.org", firstRow: 2 }],
  problemsByColumn: { Q1: 1, "(whole row)": 1 },
  problems: [
    { row: 2, column: "Q1", value: "ask jo@example.org", expected: "one of \"Agree\", \"Disagree\"" },
    { row: 3, column: "(whole row)", value: "9 field(s)", expected: "7 fields, as in the header row" },
  ],
  truncated: false,
};

describe("a stored rejection report", () => {
  it("quotes a survey's cells, with every email address taken out", () => {
    const stored = storedRejectionReport(report, false);
    expect(stored.problems[0]).toEqual({ row: 2, column: "Q1", value: "ask [email]", expected: "one of \"Agree\", \"Disagree\"" });
    expect(stored.duplicates[0]!.responseId).toBe("[email]");
  });

  it("quotes no cell of an upload whose cells are personal data, keeping rows, columns, what was expected and the shape of a row", () => {
    const stored = storedRejectionReport(report, true);
    expect(stored.problems.map((p) => p.value)).toEqual([NOT_QUOTED, "9 field(s)"]);
    expect(stored.problems.map((p) => [p.row, p.column, p.expected])).toEqual(report.problems.map((p) => [p.row, p.column, p.expected]));
    expect(stored.duplicates).toEqual([{ row: 4, responseId: NOT_QUOTED, firstRow: 2 }]);
    expect(JSON.stringify(stored)).not.toContain("example.org");
  });
});
