import type { CycleConfig } from "../survey/config/cycleConfig.ts";
import { isClosed } from "../survey/config/cycleState.ts";
import { localTimeToInstant } from "../time/zonedTime.ts";

/** One scheduled message of a cycle: the invitation, or the k-th reminder. */
export interface ScheduledMessage {
  id: string;
  kind: "invitation" | "reminder";
  /** Local date (YYYY-MM-DD, in the cycle's time zone) it goes out on. */
  date: string;
  sendAt: Date;
}

/**
 * The cycle's messages: the invitation on the open date, then a reminder every interval while
 * the survey is open (up to `maxReminders`), each at the local send time — so 09:00 stays
 * 09:00 across a daylight-saving change. Nothing on or after the close date.
 *
 * @example surveyMessages(asye2025).map((m) => m.date) // ["2025-01-15", "2025-01-29", "2025-02-12"]
 */
export function surveyMessages(config: CycleConfig): ScheduledMessage[] {
  const { opens, closes, reminderIntervalDays, sendTime, maxReminders } = config.schedule;
  const messages: ScheduledMessage[] = [];
  for (let k = 0; ; k++) {
    const date = addDays(opens, k * reminderIntervalDays);
    if (date >= closes) break;
    if (k > 0 && maxReminders !== undefined && k > maxReminders) break;
    messages.push({
      id: k === 0 ? "invitation" : `reminder-${k}`,
      kind: k === 0 ? "invitation" : "reminder",
      date,
      sendAt: localTimeToInstant(date, sendTime, config.timezone),
    });
  }
  return messages;
}

/**
 * The one message due at `now`: the latest whose send time has passed, while the survey is
 * open. A run that missed earlier messages catches up with this one only.
 */
export function dueMessage(config: CycleConfig, now: Date): ScheduledMessage | undefined {
  if (isClosed(config, now)) return undefined;
  return surveyMessages(config)
    .filter((message) => message.sendAt.getTime() <= now.getTime())
    .at(-1);
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
