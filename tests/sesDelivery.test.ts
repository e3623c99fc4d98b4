import { afterEach, describe, expect, it } from "vitest";
import { SesMailer, sesClientForSending } from "../lib/adapters/sesMailer.ts";
import { parseRecipientFile } from "../lib/reminders/parseRecipientFile.ts";
import { runReminders } from "../lib/reminders/runReminders.ts";
import { recordingLogger, storeCycle, useLocalRuntime } from "./support/harness.ts";
import { type SesBehaviour, startFakeSes } from "./support/fakeSes.ts";
import { testCycle } from "./support/testCycle.ts";

// Invitations through the real SES client (its retry strategy and our classification) against
// an SES endpoint on loopback, with recipients and send claims in DynamoDB Local.
const runtime = useLocalRuntime({ routeEvents: false });
let closeSes: (() => Promise<void>) | undefined;
afterEach(async () => closeSes?.());

const INVITATION_TIME = new Date("2025-01-15T09:00:00Z");

async function setUp(cycleId: string, people: string[], behaviour: (request: number) => SesBehaviour) {
  await storeCycle(runtime(), { ...testCycle(cycleId), schedule: { opens: "2025-01-15", closes: "2025-02-21", reminderIntervalDays: 14 } });
  const csv = `email,name\n${people.map((p) => `${p}@example.org,${p}`).join("\n")}\n`;
  const { recipients } = await parseRecipientFile((async function* () { yield new TextEncoder().encode(csv); })(), "leads.csv", (t) => runtime().recipients.hashToken(t));
  await runtime().recipients.putRecipients(cycleId, "leads", recipients, new Date("2025-01-10T12:00:00Z"));
  const ses = await startFakeSes(behaviour);
  closeSes = ses.close;
  const client = sesClientForSending({ endpoint: ses.endpoint, region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const log = recordingLogger();
  const run = (now = INVITATION_TIME) =>
    runReminders({ store: runtime().store, recipients: runtime().recipients, mailer: new SesMailer(client, "survey@example.org"), log, now });
  const leads = async () => runtime().recipients.recipients(cycleId, "leads");
  return { ses, run, log, leads };
}

const leadsOf = (summary: Awaited<ReturnType<typeof runReminders>>, cycleId: string) => summary.cycles.find((c) => c.cycleId === cycleId)!.groups.find((g) => g.group === "leads")!;

describe("sending through SES", () => {
  it("retries throttling through the SDK's adaptive strategy, then sends each invitation once", async () => {
    const { ses, run } = await setUp("ses-throttle", ["ana", "bo"], (n) => (n <= 2 ? "throttle" : "accept"));
    const summary = await run();
    expect(leadsOf(summary, "ses-throttle")).toMatchObject({ sent: 2, failed: 0, unconfirmed: 0 });
    expect(ses.requests).toHaveLength(4);
  }, 30_000);

  it("never repeats a send whose reply was lost: exactly one mail, counted as invited", async () => {
    const { ses, run, leads } = await setUp("ses-lost", ["ana"], (n) => (n === 1 ? "drop-reply" : "accept"));
    expect(leadsOf(await run(), "ses-lost")).toMatchObject({ sent: 0, unconfirmed: 1 });
    expect(leadsOf(await run(new Date("2025-01-15T10:00:00Z")), "ses-lost")).toMatchObject({ sent: 0 });
    expect(ses.requests).toHaveLength(1);
    expect((await leads())[0]!.invitedAt).toBeDefined();
  });

  it("does not retry a server error (SES may have sent it)", async () => {
    const { ses, run } = await setUp("ses-500", ["ana"], () => "server-error");
    expect(leadsOf(await run(), "ses-500")).toMatchObject({ unconfirmed: 1 });
    expect(ses.requests).toHaveLength(1);
  });

  it("stops the run when the sender is not verified, marking no recipient, and sends them all once it is", async () => {
    let verified = false;
    const { ses, run, leads, log } = await setUp("ses-sender", ["ana", "bo", "cy"], () => (verified ? "accept" : "sender-not-verified"));
    const stopped = await run();
    expect(stopped.stopped).toMatchObject({ cycleId: "ses-sender", group: "leads", reason: expect.stringContaining("MessageRejected: Email address is not verified") });
    expect(ses.requests).toHaveLength(1);
    expect((await leads()).filter((r) => r.failedAt || r.invitedAt)).toEqual([]);
    expect(log.lines.some((l) => l.level === "error" && l.message.startsWith("reminder run stopped"))).toBe(true);
    verified = true;
    expect(leadsOf(await run(new Date("2025-01-15T10:00:00Z")), "ses-sender")).toMatchObject({ sent: 3 });
  });

  it("marks only the refused address, and keeps every address out of logs and stored reasons", async () => {
    const { run, leads, log } = await setUp("ses-bad", ["ana", "bo"], (n) => (n === 1 ? "bad-address" : "accept"));
    expect(leadsOf(await run(), "ses-bad")).toMatchObject({ sent: 1, failed: 1 });
    const failed = (await leads()).filter((r) => r.failedAt);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failureReason).toBe("BadRequestException: Illegal address: [email]");
    expect(JSON.stringify(log.lines)).not.toMatch(/@example\.org/);
  });
});
