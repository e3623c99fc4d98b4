import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OutboxMailer } from "../lib/adapters/outboxMailer.ts";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { ingestUpload } from "../lib/ingest/ingestUpload.ts";
import type { RecipientStore } from "../lib/ports/recipientStore.ts";
import { parseRecipientFile } from "../lib/reminders/parseRecipientFile.ts";
import { LOCAL_HASH_KEY, recipientHash, tokenHash } from "../lib/reminders/recipientHash.ts";
import { runReminders } from "../lib/reminders/runReminders.ts";
import { dueMessage, surveyMessages } from "../lib/reminders/surveySchedule.ts";
import { recordingLogger, storeCycle, uploadRef, useLocalRuntime } from "./support/harness.ts";
import { testCycle } from "./support/testCycle.ts";

const asye2025 = parseCycleConfig(readFileSync("examples/asye-cf-2025/cycle.json", "utf8"), "cycle.json");
const at = (iso: string) => new Date(iso);
const bytes = (text: string) =>
  (async function* () {
    yield new TextEncoder().encode(text);
  })();

describe("the schedule", () => {
  it("gives the 2025 invitation on 15 January and reminders on 29 January and 12 February, at 09:00", () => {
    expect(surveyMessages(asye2025).map((m) => [m.id, m.sendAt.toISOString()])).toEqual([
      ["invitation", "2025-01-15T09:00:00.000Z"],
      ["reminder-1", "2025-01-29T09:00:00.000Z"],
      ["reminder-2", "2025-02-12T09:00:00.000Z"],
    ]);
  });

  it("is due from its send time, catches up with the latest message only, and stops at the close date", () => {
    expect(dueMessage(asye2025, at("2025-01-15T08:59:00Z"))).toBeUndefined();
    expect(dueMessage(asye2025, at("2025-01-15T09:00:00Z"))?.id).toBe("invitation");
    expect(dueMessage(asye2025, at("2025-01-29T08:59:00Z"))?.id).toBe("invitation");
    // A run missed for weeks sends the message due now, not the stale one.
    expect(dueMessage(asye2025, at("2025-02-13T15:00:00Z"))?.id).toBe("reminder-2");
    expect(dueMessage(asye2025, at("2025-02-20T23:59:00Z"))?.id).toBe("reminder-2");
    expect(dueMessage(asye2025, at("2025-02-21T00:00:00Z"))).toBeUndefined();
  });

  it("sends a reminder on the day the clocks change at 09:00 local time", () => {
    const spring = cycleConfigSchema.parse(
      testCycle("dst", { schedule: { opens: "2025-03-16", closes: "2025-04-30", reminderIntervalDays: 14 } }),
    );
    const reminder = surveyMessages(spring)[1]!;
    expect(reminder.date).toBe("2025-03-30");
    expect(reminder.sendAt.toISOString()).toBe("2025-03-30T08:00:00.000Z"); // 09:00 BST
    expect(dueMessage(spring, at("2025-03-30T07:59:00Z"))?.id).toBe("invitation");
    expect(dueMessage(spring, at("2025-03-30T08:00:00Z"))?.id).toBe("reminder-1");
  });

  it("stops after the maximum number of reminders", () => {
    const capped = cycleConfigSchema.parse(
      testCycle("cap", { schedule: { opens: "2025-01-15", closes: "2025-03-31", reminderIntervalDays: 7, maxReminders: 2 } }),
    );
    expect(surveyMessages(capped).map((m) => m.id)).toEqual(["invitation", "reminder-1", "reminder-2"]);
  });
});

describe("recipient files", () => {
  it("rejects bad addresses with row and reason, keeps good rows and merges duplicates", async () => {
    const { recipients, problems, merged } = await parseRecipientFile(
      bytes("email,name,token\nana@example.org,Ana,t1\nnot-an-address,Bo,t2\n,Cy,\nANA@example.org ,,t9\ndee@example.org,,\n"),
      "leads.csv",
      (token) => tokenHash(token, LOCAL_HASH_KEY),
    );
    expect(recipients.map((r) => [r.email, r.name ?? null])).toEqual([
      ["ana@example.org", "Ana"],
      ["dee@example.org", null],
    ]);
    expect(merged).toBe(1);
    expect(problems).toEqual([
      { row: 3, column: "email", value: "not-an-address", reason: "not a valid email address" },
      { row: 4, column: "email", value: "", reason: "an email address is required" },
    ]);
    expect(JSON.stringify(recipients)).not.toContain("t1");
  });
});

describe("the reminder runs, against DynamoDB Local and s3rver", () => {
  const runtime = useLocalRuntime({ routeEvents: false });
  const log = recordingLogger();
  const outbox = async (cycle: string) => runtime().store.list(`outbox/${cycle}/`);

  async function setUp(cycleId: string, people: string[]) {
    const config = { ...testCycle(cycleId), schedule: { opens: "2025-01-15", closes: "2025-02-21", reminderIntervalDays: 14 } };
    await storeCycle(runtime(), config);
    const csv = `email,name,token,opted_out\n${people.map((p) => `${p}@example.org,${p},tok-${p},${p.startsWith("optout") ? "yes" : ""}`).join("\n")}\n`;
    const { recipients } = await parseRecipientFile(bytes(csv), "leads.csv", (token) => tokenHash(token, LOCAL_HASH_KEY));
    await runtime().recipients.putRecipients(cycleId, "leads", recipients, at("2025-01-10T12:00:00Z"));
  }

  it("invites everyone once, then reminds only those who have not responded, bounced or opted out", async () => {
    await setUp("excl", ["ana", "bo", "cy", "dee", "optout-eve"]);
    const invitation = await runtime().runReminders(at("2025-01-15T09:00:00Z"));
    const leads = invitation.cycles.find((c) => c.cycleId === "excl")!.groups.find((g) => g.group === "leads")!;
    expect(leads).toMatchObject({ sent: 4, failed: 0 });
    expect(leads.skipped.optedOut).toBe(1);
    const again = await runtime().runReminders(at("2025-01-15T10:00:00Z"));
    expect(again.cycles.find((c) => c.cycleId === "excl")!.groups[0]).toMatchObject({ sent: 0, skipped: { alreadySent: 4 } });

    // Ana responds (her token is in the export); Bo's address bounces.
    const key = "uploads/excl/leads/export.csv";
    const exportText = "response_id,submitted_at,service_area,Impact,Clarity,C: Retaining,C: Recruiting,token\nr1,2025-01-20,Child and family only,Agree,Agree,Yes,,tok-ana\n";
    await runtime().store.put(key, exportText, "text/csv");
    const ingested = await ingestUpload(uploadRef(key, (await runtime().store.getStream(key)).etag), {
      store: runtime().store,
      ledger: runtime().ledger,
      recipients: runtime().recipients,
      log,
    });
    expect(ingested.status).toBe("accepted");
    const normalized = await runtime().store.getText(ingested.record.normalizedKey!);
    expect(normalized).not.toContain("tok-ana");
    await runtime().deliverSesEvent({
      eventType: "Bounce",
      bounce: { bounceType: "Permanent" },
      mail: { tags: { cycle: ["excl"], group: ["leads"], recipient: [recipientHash("bo@example.org", LOCAL_HASH_KEY)] } },
    });

    const reminder = await runtime().runReminders(at("2025-01-29T09:00:00Z"));
    const reminded = reminder.cycles.find((c) => c.cycleId === "excl")!.groups[0]!;
    expect(reminded).toMatchObject({ sent: 2, skipped: { responded: 1, bounced: 1, optedOut: 1 } });
    const sentTo = (await outbox("excl")).filter((k) => k.includes("/reminder-1/"));
    expect(sentTo.sort()).toEqual(
      ["cy", "dee"].map((p) => `outbox/excl/reminder-1/leads/${recipientHash(`${p}@example.org`, LOCAL_HASH_KEY)}.json`).sort(),
    );
    const message = JSON.parse((await runtime().store.getText(sentTo[0]!))!);
    expect(message.subject).toBe("Reminder: ASYE annual survey");
    expect(message.text).toContain("21 February 2025");

    // Links successfully delivered = invitations sent (4) minus bounces (1), from the list.
    const { document } = await computeResults("excl", {
      store: runtime().store,
      ledger: runtime().ledger,
      recipients: runtime().recipients,
      log,
      now: () => at("2025-03-01T00:00:00Z"),
    });
    const leadsRate = document.responseRates.groups.find((g) => g.group === "leads")!;
    expect(leadsRate).toMatchObject({ delivered: 3, deliveredFrom: "recipient list", responses: 1 });
    expect(document.responseRates.groups.find((g) => g.group === "nqsws")).toMatchObject({ delivered: 200, deliveredFrom: "cycle file" });

    // Nothing on or after the close date.
    const closed = await runtime().runReminders(at("2025-02-21T09:00:00Z"));
    expect(closed.cycles.find((c) => c.cycleId === "excl")!.due).toBeNull();
    expect(JSON.stringify(log.lines)).not.toContain("@example.org");
  });

  it("sends each message once when two runs overlap", async () => {
    await setUp("overlap", ["a1", "a2", "a3", "a4", "a5", "a6"]);
    const [first, second] = await Promise.all([
      runtime().runReminders(at("2025-01-15T09:00:00Z")),
      runtime().runReminders(at("2025-01-15T09:00:00Z")),
    ]);
    const sent = [first, second].map((run) => run.cycles.find((c) => c.cycleId === "overlap")!.groups[0]!.sent);
    expect(sent[0]! + sent[1]!).toBe(6);
    expect(await outbox("overlap")).toHaveLength(6);
  });

  it("resumes a run that crashed half-way through a batch without sending anything twice", async () => {
    await setUp("crash", ["c1", "c2", "c3", "c4", "c5", "c6"]);
    const sends: string[] = [];
    const mailer = new OutboxMailer(runtime().store);
    const counting = { send: async (mail: Parameters<OutboxMailer["send"]>[0]) => (sends.push(mail.tags.recipient), mailer.send(mail)) };
    // The process dies after the third send, before recording it.
    const crashing: RecipientStore = Object.create(runtime().recipients);
    crashing.recordSent = async (...args) => {
      if (sends.length >= 3) throw new Error("Lambda timed out");
      return runtime().recipients.recordSent(...args);
    };
    const deps = { store: runtime().store, mailer: counting, log, now: at("2025-01-15T09:00:00Z") };
    await expect(runReminders({ ...deps, recipients: crashing })).rejects.toThrow("Lambda timed out");
    expect(sends).toHaveLength(3);

    const resumed = await runReminders({ ...deps, recipients: runtime().recipients, now: at("2025-01-15T10:00:00Z") });
    expect(sends).toHaveLength(6);
    expect(new Set(sends).size).toBe(6);
    // The send the dead run made but never recorded is settled: invited (Table 6), not mailed again.
    expect(resumed.cycles.find((c) => c.cycleId === "crash")!.groups[0]).toMatchObject({ sent: 3, reconciled: 1 });
    const invited = (await runtime().recipients.recipients("crash", "leads")).filter((r) => r.invitedAt);
    expect(invited).toHaveLength(6);
  });

  it("lists what would be sent in a dry run, and sends nothing", async () => {
    await setUp("dry", ["d1", "d2"]);
    const summary = await runtime().runReminders(at("2025-01-15T09:00:00Z"), true);
    expect(summary.cycles.find((c) => c.cycleId === "dry")!.groups[0]!.wouldSend).toHaveLength(2);
    expect(await outbox("dry")).toEqual([]);
  });
});
