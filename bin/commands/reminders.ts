import { type CliCommand, UsageError } from "../cli.ts";
import { withRuntime } from "../localRuntime.ts";

/** `asye reminders`: runs the hourly reminders function as at a given time. */
export const reminders: CliCommand = {
  name: "reminders",
  summary: "Run the hourly invitations and reminders as at a Europe/London time (mail goes to the local outbox).",
  usage: "asye reminders --now <YYYY-MM-DDTHH:MM> [--dry-run]",
  options: { now: { type: "string" }, "dry-run": { type: "boolean" } },
  optionHelp: { now: "the Europe/London time to run as", "dry-run": "say what would be sent; send nothing" },
  positionals: { min: 0, max: 0 },
  async run(values) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { localTimeToInstant } = await import("../../lib/time/zonedTime.ts");
    const at = values.now;
    if (typeof at !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at)) throw new UsageError("--now <YYYY-MM-DDTHH:MM> is required");
    const [date, time] = at.split("T") as [string, string];
    const now = localTimeToInstant(date, time, "Europe/London");
    return withRuntime(async (runtime) => {
      const summary = await runtime.runReminders(now, values["dry-run"] === true);
      for (const cycle of summary.cycles) {
        console.log(`${cycle.cycleId}: ${cycle.due ?? "nothing due"}${cycle.paused ? " (paused in the console: nothing sent)" : ""}`);
        for (const group of cycle.groups) {
          const skipped = Object.entries(group.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`);
          const done = summary.dryRun ? `would send ${group.wouldSend.length}` : `sent ${group.sent}, failed ${group.failed}`;
          console.log(`  ${group.group}: ${done}${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`);
        }
      }
      return 0;
    });
  },
};
