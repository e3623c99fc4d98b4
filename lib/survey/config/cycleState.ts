import { localTimeToInstant, startOfLocalDay } from "../../time/zonedTime.ts";
import type { CycleConfig } from "./cycleConfig.ts";

/**
 * Whether the survey has closed at `now`: from the start of the close date in the cycle's time
 * zone. Answers are published, and no more messages sent, from then on.
 */
export function isClosed(config: CycleConfig, now: Date): boolean {
  return now.getTime() >= startOfLocalDay(config.schedule.closes, config.timezone).getTime();
}

/** Where a cycle stands at `now`: before its invitation goes out, open, or closed. */
export function cycleState(config: CycleConfig, now: Date): "not-yet-open" | "open" | "closed" {
  if (isClosed(config, now)) return "closed";
  const opensAt = localTimeToInstant(config.schedule.opens, config.schedule.sendTime, config.timezone);
  return now.getTime() >= opensAt.getTime() ? "open" : "not-yet-open";
}
