import { describe, expect, it } from "vitest";
import type { IngestOutcome } from "../lib/ingest/ingestUpload.ts";
import { ingestMetrics, reminderMetrics } from "../lib/observability/metricsOf.ts";
import type { RunSummary } from "../lib/reminders/runReminders.ts";
import { redactEmails } from "../lib/privacy/redactEmails.ts";

const upload = { key: "k", etag: "e", cycleId: "c", group: "g", uploadedAt: "2025-01-01T00:00:00Z", sequencer: "1" };

describe("metrics", () => {
  it("count an ingest invocation's rows, refused files and retried deliveries", () => {
    const outcomes: IngestOutcome[] = [
      { status: "accepted", current: true, record: { upload, status: "accepted", counts: { rows: 10, accepted: 8, rejected: 1, duplicates: 1 } } },
      { status: "rejected", record: { upload, status: "rejected", counts: { rows: 5, accepted: 0, rejected: 5, duplicates: 0 } } },
      { status: "already-done", record: { upload, status: "accepted", counts: { rows: 10, accepted: 8, rejected: 1, duplicates: 0 } } },
    ];
    expect(ingestMetrics(outcomes, 2)).toEqual([
      { name: "RowsAccepted", value: 8 },
      { name: "RowsRejected", value: 6 },
      { name: "FilesRejected", value: 1 },
      { name: "UploadDeliveriesRetried", value: 2 },
    ]);
  });

  it("count a reminder run's sends by outcome, and flag a stopped run for its alarm", () => {
    const group = { group: "leads", sent: 3, wouldSend: [], failed: 1, unconfirmed: 1, reconciled: 2, skipped: {} as RunSummary["cycles"][number]["groups"][number]["skipped"] };
    const summary: RunSummary = { ranAt: "t", dryRun: false, stopped: { cycleId: "c", group: "leads", reason: "r" }, cycles: [{ cycleId: "c", due: "invitation", kind: "invitation", groups: [group, { ...group, sent: 2 }] }] };
    expect(reminderMetrics(summary)).toEqual([
      { name: "MailsSent", value: 5 },
      { name: "MailsUnconfirmed", value: 2 },
      { name: "MailsFailed", value: 2 },
      { name: "SendsReconciled", value: 4 },
      { name: "ReminderRunsStopped", value: 1 },
    ]);
  });
});

describe("redaction", () => {
  it("takes every address out of a third-party message", () => {
    expect(redactEmails("Email address is not verified. The following identities failed the check in region EU-WEST-2: jo.bloggs+x@example.org, <ann@sub.example.co.uk>")).toBe(
      "Email address is not verified. The following identities failed the check in region EU-WEST-2: [email], <[email]>",
    );
  });
});
