import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import type { RejectionReport } from "../lib/ingest/rejectionReport.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import { recordingLogger, storeCycle, useLocalRuntime } from "./support/harness.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

const runtime = useLocalRuntime();
const log = recordingLogger();

beforeAll(async () => {
  await storeCycle(runtime(), testCycle());
});

/** Uploads bytes through S3 (the event triggers ingest) and returns the ledger record and report. */
async function upload(key: string, body: string | Uint8Array) {
  await runtime().store.put(key, body, "text/csv");
  await runtime().idle();
  const records = await runtime().ledger.records(key);
  const record = records.at(-1)!;
  const reportText = record.rejectionReportKey
    ? await runtime().store.getText(record.rejectionReportKey)
    : undefined;
  return { record, report: reportText ? (JSON.parse(reportText) as RejectionReport) : undefined };
}

const row = (
  id: string,
  impact = "Agree",
  clarity = "Strongly agree",
  area = "Child and family only",
) => `${id},2025-01-20T10:00:00Z,${area},${impact},${clarity},Yes,`;

describe("ingest of well-formed but awkward files", () => {
  it("reads a file with a BOM, CRLF line ends and a quoted field holding a comma, quote and newline", async () => {
    const text = `\uFEFF${LEADS_HEADER},Comment\r\n${row("r1")},"one, ""two""\r\nthree"\r\n${row("r2")},\r\n`;
    const { record, report } = await upload("uploads/test-cycle/leads/awkward.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 2, accepted: 2, rejected: 0, duplicates: 0 });
    expect(report).toBeUndefined();
  });
});

/** Eight more good rows after the interesting ones, so the upload stays above the accepted-share guard. */
const GOOD_ROWS = Array.from({ length: 8 }, (_, i) => row(`g${i}`));

describe("row-level problems: the row is rejected with file, row, column, value and expectation; good rows are kept", () => {
  it("rejects an unknown label", async () => {
    const text = [LEADS_HEADER, row("r1"), row("r2", "Agree strongly"), row("r3"), ...GOOD_ROWS].join("\n");
    const { record, report } = await upload("uploads/test-cycle/leads/unknown-label.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 11, accepted: 10, rejected: 1, duplicates: 0 });
    expect(report!.file).toBe("uploads/test-cycle/leads/unknown-label.csv");
    expect(report!.problems).toEqual([
      {
        row: 3,
        column: "Impact",
        value: "Agree strongly",
        expected: 'one of "Strongly agree", "Agree", "Disagree", "Don\'t know", or blank',
      },
    ]);
  });

  it("rejects a blank required field", async () => {
    const text = [LEADS_HEADER, row(""), row("r2", "Agree", "Agree", ""), row("r3"), ...GOOD_ROWS].join("\n");
    const { record, report } = await upload("uploads/test-cycle/leads/blank-required.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toMatchObject({ accepted: 9, rejected: 2 });
    expect(report!.problems.map((p) => [p.row, p.column])).toEqual([
      [2, "response_id"],
      [3, "service_area"],
    ]);
    expect(report!.problems[1]!.expected).toContain('"Child and family only"');
  });

  it("counts a duplicate response id once and reports it", async () => {
    const text = [LEADS_HEADER, row("r1"), row("r2"), row("r1", "Disagree")].join("\n");
    const { record, report } = await upload("uploads/test-cycle/leads/duplicate.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toEqual({ rows: 3, accepted: 2, rejected: 0, duplicates: 1 });
    expect(report!.duplicates).toEqual([{ row: 4, responseId: "r1", firstRow: 2 }]);
  });

  it("rejects a row with the wrong number of fields", async () => {
    const text = [
      LEADS_HEADER,
      row("r1"),
      "r2,2025-01-20,Child and family only,Agree",
      row("r3"),
      ...GOOD_ROWS,
    ].join("\n");
    const { record, report } = await upload("uploads/test-cycle/leads/short-row.csv", text);
    expect(record.status).toBe("accepted");
    expect(record.counts).toMatchObject({ accepted: 10, rejected: 1 });
    expect(report!.problems[0]).toMatchObject({
      row: 3,
      column: "(whole row)",
      value: "4 field(s)",
    });
  });
});

describe("file-level problems: one clear message in the ledger, no responses written", () => {
  it.each([
    [
      "a missing column",
      "uploads/test-cycle/leads/missing.csv",
      "response_id,submitted_at,service_area,Impact\nr1,2025-01-20,Child and family only,Agree\n",
      'missing required column(s) "Clarity", "C: Retaining", "C: Recruiting"',
    ],
    ["an empty file", "uploads/test-cycle/leads/empty.csv", "", "the file is empty"],
    [
      "a header with no responses",
      "uploads/test-cycle/leads/header-only.csv",
      `${LEADS_HEADER}\n`,
      "header row but no responses",
    ],
    [
      "an unknown group in the path",
      "uploads/test-cycle/coordinators/x.csv",
      `${LEADS_HEADER}\n${row("r1")}\n`,
      'unknown group "coordinators"',
    ],
    [
      "a key outside the upload layout",
      "uploads/x.csv",
      `${LEADS_HEADER}\n${row("r1")}\n`,
      "uploads/{cycleId}/{group}/{file}.csv",
    ],
    [
      "an unknown cycle",
      "uploads/no-such-cycle/leads/x.csv",
      `${LEADS_HEADER}\n${row("r1")}\n`,
      'unknown cycle "no-such-cycle"',
    ],
    [
      "bytes that are not UTF-8",
      "uploads/test-cycle/leads/latin1.csv",
      Buffer.concat([
        Buffer.from(`${LEADS_HEADER}\nr1,2025-01-20,Child and family only,Agr`),
        Buffer.from([0xe9]),
        Buffer.from(",Agree,,\n"),
      ]),
      "not UTF-8 text (byte 0xE9 at byte offset",
    ],
    [
      "a damaged workbook (a zip cut short)",
      "uploads/test-cycle/leads/report.xlsx",
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0xff, 0xfe]),
      "not a readable .xlsx workbook",
    ],
  ])("rejects %s", async (_name, key, body, message) => {
    const before = await runtime().ledger.currentBatches("test-cycle");
    const { record, report } = await upload(key, body);
    expect(record.status).toBe("rejected");
    expect(record.reason).toContain(message);
    expect(report!.fileRejected).toContain(message);
    expect(record.normalizedKey).toBeUndefined();
    expect(await runtime().ledger.currentBatches("test-cycle")).toEqual(before);
  });
});

describe("large files", () => {
  it("streams a 100 MB export, keeps every row and leaves the raw upload unchanged", async () => {
    const key = "uploads/test-cycle/nqsws/big.csv";
    await storeCycle(runtime(), testCycle());
    const header = "response_id,submitted_at,service_area,Q1 Impact,Q2 Clarity,Ethnicity\n";
    const line = (i: number) =>
      `n${i},2025-01-20T10:00:00Z,Child and family only,${i % 3 === 0 ? "Agree" : "Disagree"},Strongly agree,${i % 4 === 0 ? "Black" : "White"}\n`;
    const rowsWanted = Math.ceil((100 * 1024 * 1024) / line(0).length);
    const hash = createHash("md5");
    let bytes = 0;
    function* chunks() {
      hash.update(header);
      bytes += header.length;
      yield header;
      for (let start = 0; start < rowsWanted; start += 10_000) {
        let block = "";
        for (let i = start; i < Math.min(start + 10_000, rowsWanted); i++) block += line(i);
        hash.update(block);
        bytes += block.length;
        yield block;
      }
    }
    await runtime().store.putStream(key, Readable.from(chunks()), "text/csv");
    await runtime().idle();
    expect(bytes).toBeGreaterThanOrEqual(100 * 1024 * 1024);
    const [record] = await runtime().ledger.records(key);
    expect(record!.counts).toEqual({
      rows: rowsWanted,
      accepted: rowsWanted,
      rejected: 0,
      duplicates: 0,
    });

    const { document } = await computeResults("test-cycle", {
      store: runtime().store,
      ledger: runtime().ledger,
      log,
      now: () => new Date("2025-03-01"),
    });
    const impact = document.items
      .find((i) => i.id === "impact")!
      .groups.find((g) => g.group === "nqsws")!;
    expect(impact.share).toMatchObject({ n: Math.ceil(rowsWanted / 3), base: rowsWanted });

    const raw = await runtime().store.getStream(key);
    const check = createHash("md5");
    for await (const chunk of raw.body) check.update(chunk);
    expect(check.digest("hex")).toBe(hash.digest("hex"));
  });
});

describe("the raw upload", () => {
  it("is never changed or deleted by ingest", async () => {
    const key = "uploads/test-cycle/leads/unchanged.csv";
    const text = [LEADS_HEADER, row("r1"), row("r2", "nonsense")].join("\n");
    await upload(key, text);
    expect(await runtime().store.getText(key)).toBe(text);
    expect(await runtime().store.list("uploads/test-cycle/leads/unchanged")).toEqual([key]);
    expect(
      await runtime().store.getText(
        storageKeys.rejectionReport(
          "test-cycle",
          "leads",
          createHash("md5").update(text).digest("hex"),
        ),
      ),
    ).toContain("nonsense");
  });
});
