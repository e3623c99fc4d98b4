import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ResponseRate, ResultsDocument } from "../results/resultsSchema.ts";
import { wilsonInterval } from "../../stats/wilsonInterval.ts";
import type { GroupTally } from "./groupTally.ts";
import { displayPercentage } from "./percentage.ts";

/**
 * Table 6: per group, links delivered, responses from child and family only, additional
 * responses from both services, and the response rate = all responses / delivered.
 * Delivered comes from the recipient list (invitations sent minus bounces) where one is used,
 * otherwise from the cycle file. Response counts are published whatever their size (as in
 * the annual report).
 */
export function buildResponseRates(
  config: CycleConfig,
  tallies: ReadonlyMap<string, GroupTally>,
  deliveredByRecipients: ReadonlyMap<string, number> = new Map(),
): ResultsDocument["responseRates"] {
  const groups = config.groups.map((group) => {
    const tally = tallies.get(group.id);
    const fromList = deliveredByRecipients.get(group.id);
    return rate(group.id, group.label, {
      delivered: fromList ?? group.delivered,
      deliveredFrom: fromList === undefined ? "cycle file" : "recipient list",
      childAndFamilyOnly: tally?.childAndFamilyOnly ?? 0,
      both: tally?.both ?? 0,
    });
  });
  const sum = (field: "delivered" | "childAndFamilyOnly" | "both") =>
    groups.reduce((total, group) => total + group[field], 0);
  return {
    groups,
    total: rate("all", "All groups", {
      delivered: sum("delivered"),
      deliveredFrom: groups.some((g) => g.deliveredFrom === "recipient list") ? "recipient list" : "cycle file",
      childAndFamilyOnly: sum("childAndFamilyOnly"),
      both: sum("both"),
    }),
  };
}

function rate(
  group: string,
  label: string,
  counts: Pick<ResponseRate, "delivered" | "deliveredFrom" | "childAndFamilyOnly" | "both">,
): ResponseRate {
  const responses = counts.childAndFamilyOnly + counts.both;
  const { delivered } = counts;
  return {
    group,
    label,
    ...counts,
    responses,
    proportion: delivered === 0 ? 0 : responses / delivered,
    percentage: delivered === 0 ? 0 : displayPercentage(responses, delivered),
    interval95: delivered === 0 ? { lower: 0, upper: 1 } : wilsonInterval(Math.min(responses, delivered), delivered),
  };
}
