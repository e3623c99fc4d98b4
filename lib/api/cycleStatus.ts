import type { CycleConfig } from "../config/cycleConfig.ts";
import { localTimeToInstant, startOfLocalDay } from "../time/zonedTime.ts";

/** Where a cycle stands at `now`: before its invitation goes out, open, or closed. */
export function cycleState(config: CycleConfig, now: Date): "not-yet-open" | "open" | "closed" {
  if (now.getTime() >= startOfLocalDay(config.schedule.closes, config.timezone).getTime()) return "closed";
  const opensAt = localTimeToInstant(config.schedule.opens, config.schedule.sendTime, config.timezone);
  return now.getTime() >= opensAt.getTime() ? "open" : "not-yet-open";
}
