/**
 * `npm run schedule`: the 2025 invitation and reminder schedule end to end, on the local
 * runtime with nobody pressing a button. Loads the example recipient lists, then runs the
 * hourly reminders function for every hour from 14 January to 22 February 2025 (mail goes to
 * the S3 outbox). On the way, three NQSWs respond (their tokens come back in an export) and
 * one lead's address bounces, so neither gets reminders. State: .local/schedule-demo (fresh).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { saveCycleConfig } from "../lib/survey/config/surveyCycleStore.ts";
import { readFileSync } from "node:fs";
import { LOCAL_HASH_KEY, recipientHash } from "../lib/reminders/recipientHash.ts";
import { loadRecipients } from "./local/loadRecipients.ts";
import { startLocalRuntime } from "./local/runtime.ts";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
const stateDir = ".local/schedule-demo";
rmSync(stateDir, { recursive: true, force: true });
const runtime = await startLocalRuntime({ stateDir, routeEvents: false });
try {
  const folder = "examples/asye-cf-2025";
  const config = await saveCycleConfig(runtime.store, readFileSync(join(folder, "cycle.json"), "utf8"), "cycle.json");
  for (const group of config.groups) {
    const loaded = await loadRecipients(runtime.recipients, config.id, group.id, join(folder, "recipients", `${group.id}.csv`), new Date("2025-01-10T12:00:00Z"));
    console.log(`${group.label}: ${loaded.stored} recipients stored, ${loaded.merged} duplicate merged, ${loaded.problems.length} rejected (${loaded.problems.map((p) => `row ${p.row}: ${p.reason}`).join("; ")})`);
  }
  console.log("\nHourly runs, 14 January to 22 February 2025 (Europe/London):");
  for (let hour = Date.parse("2025-01-14T00:00:00Z"); hour <= Date.parse("2025-02-22T00:00:00Z"); hour += 3_600_000) {
    const now = new Date(hour);
    if (now.toISOString() === "2025-01-16T12:00:00.000Z") {
      await runtime.deliverSesEvent({ eventType: "Bounce", bounce: { bounceType: "Permanent" }, mail: { tags: { cycle: [config.id], group: ["leads"], recipient: [recipientHash("lead08@example.org", LOCAL_HASH_KEY)] } } });
      console.log("  2025-01-16 12:00  SES: permanent bounce for one lead");
    }
    if (now.toISOString() === "2025-01-22T12:00:00.000Z") {
      const matched = await runtime.recipients.markResponded(config.id, "nqsws", ["N0001-2025", "N0002-2025", "N0003-2025"].map((token) => runtime.recipients.hashToken(token)), now);
      console.log(`  2025-01-22 12:00  ${matched} NQSWs responded (tokens matched from an export)`);
    }
    const summary = await runtime.runReminders(now);
    const cycle = summary.cycles.find((c) => c.cycleId === config.id)!;
    const sent = cycle.groups.reduce((sum, g) => sum + g.sent, 0);
    if (sent === 0) continue;
    const local = now.toLocaleString("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "short" });
    const skipped = cycle.groups.flatMap((g) => Object.entries(g.skipped).filter(([reason, n]) => n > 0 && reason !== "alreadySent").map(([reason, n]) => `${reason} ${n}`));
    console.log(`  ${local}  ${cycle.due}: sent ${cycle.groups.map((g) => `${g.group} ${g.sent}`).join(", ")}${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`);
  }
  const outbox = await runtime.store.list(`outbox/${config.id}/`);
  console.log(`\n${outbox.length} messages in the outbox: s3://${runtime.stack.bucket}/outbox/${config.id}/ (files under ${stateDir}/s3)`);
  console.log(`Example: ${outbox[0]}\n${JSON.parse((await runtime.store.getText(outbox[0]!))!).text}`);
} finally {
  await runtime.stop();
}
