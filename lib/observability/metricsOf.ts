import type { IngestOutcome } from "../ingest/ingestUpload.ts";
import type { RunSummary } from "../reminders/runReminders.ts";

/** One CloudWatch metric value (a count). */
export interface MetricValue {
  name: string;
  value: number;
}

/** What one ingest invocation did, as metrics: rows accepted and rejected, files refused, deliveries to repeat. */
export function ingestMetrics(outcomes: readonly IngestOutcome[], retried: number): MetricValue[] {
  const sum = (pick: (o: IngestOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  return [
    { name: "RowsAccepted", value: sum((o) => (o.status === "accepted" ? (o.record.counts?.accepted ?? 0) : 0)) },
    { name: "RowsRejected", value: sum((o) => (o.status === "accepted" || o.status === "rejected" ? (o.record.counts?.rejected ?? 0) : 0)) },
    { name: "FilesRejected", value: sum((o) => (o.status === "rejected" ? 1 : 0)) },
    { name: "UploadDeliveriesRetried", value: retried },
  ];
}

/** What one reminder run did, as metrics: sends by outcome, and whether the run stopped (alarmed). */
export function reminderMetrics(summary: RunSummary): MetricValue[] {
  const groups = summary.cycles.flatMap((cycle) => cycle.groups);
  const sum = (pick: (g: (typeof groups)[number]) => number) => groups.reduce((total, group) => total + pick(group), 0);
  return [
    { name: "MailsSent", value: sum((g) => g.sent) },
    { name: "MailsUnconfirmed", value: sum((g) => g.unconfirmed) },
    { name: "MailsFailed", value: sum((g) => g.failed) },
    { name: "SendsReconciled", value: sum((g) => g.reconciled) },
    { name: "ReminderRunsStopped", value: summary.stopped ? 1 : 0 },
  ];
}
