import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ResponseRate, ResultsDocument } from "../results/resultsSchema.ts";
import type { GroupTally } from "./groupTally.ts";
import { wilsonInterval } from "../stats/wilsonInterval.ts";
import { displayPercentage } from "./percentage.ts";

/**
 * Table 6: per group, links delivered, responses from child and family only, additional
 * responses from both services, and the response rate = all responses / delivered.
 * Response counts are published whatever their size (as in the annual report).
 */
export function buildResponseRates(
  config: CycleConfig,
  tallies: ReadonlyMap<string, GroupTally>,
): ResultsDocument["responseRates"] {
  const groups = config.groups.map((group) => {
    const tally = tallies.get(group.id);
    return rate(
      group.id,
      group.label,
      group.delivered,
      tally?.childAndFamilyOnly ?? 0,
      tally?.both ?? 0,
    );
  });
  const sum = (field: "delivered" | "childAndFamilyOnly" | "both") =>
    groups.reduce((total, group) => total + group[field], 0);
  return {
    groups,
    total: rate("all", "All groups", sum("delivered"), sum("childAndFamilyOnly"), sum("both")),
  };
}

function rate(
  group: string,
  label: string,
  delivered: number,
  childAndFamilyOnly: number,
  both: number,
): ResponseRate {
  const responses = childAndFamilyOnly + both;
  return {
    group,
    label,
    delivered,
    childAndFamilyOnly,
    both,
    responses,
    proportion: responses / delivered,
    percentage: displayPercentage(responses, delivered),
    interval95: wilsonInterval(Math.min(responses, delivered), delivered),
  };
}
