import type { CycleConfig } from "../config/cycleConfig.ts";
import type { ResponseRate, ResultsDocument } from "../results/resultsSchema.ts";
import { wilsonInterval } from "../../stats/wilsonInterval.ts";
import type { GroupTally } from "./groupTally.ts";
import { displayPercentage } from "./percentage.ts";

/** The counts a response rate is worked out from. */
type RateCounts = Pick<ResponseRate, "delivered" | "deliveredFrom" | "childAndFamilyOnly" | "both" | "notSplit">;

/**
 * Table 6: per group, links delivered, responses from child and family only, additional
 * responses from both services, and the response rate = all responses / delivered.
 * Delivered comes from the recipient list (invitations sent minus bounces) where one is used,
 * otherwise from the cycle file. Response counts are published whatever their size (as in
 * the annual report). No rate over 100% is published: where fewer were delivered to than
 * responded (a recipient list loaded for part of a group, a delivered count too small), the
 * rate is not available and says why, and so is the total, whose delivered count it is part of.
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
      notSplit: tally?.serviceAreaNotAsked ?? 0,
    });
  });
  const sum = (field: "delivered" | "childAndFamilyOnly" | "both" | "notSplit") =>
    groups.reduce((total, group) => total + group[field], 0);
  const total = rate("all", "All groups", {
    delivered: sum("delivered"),
    deliveredFrom: groups.some((g) => g.deliveredFrom === "recipient list") ? "recipient list" : "cycle file",
    childAndFamilyOnly: sum("childAndFamilyOnly"),
    both: sum("both"),
    notSplit: sum("notSplit"),
  });
  return { groups, total: withoutUnavailableGroups(total, groups) };
}

/**
 * Why a rate of `responses` over `delivered` is not available, or null when it is: more
 * responded than the links were delivered to, so the delivered count is incomplete.
 *
 * @example rateNotAvailable({ delivered: 10, deliveredFrom: "recipient list" }, 65)
 * // "the recipient list covers fewer people (10) than responded (65): …"
 */
function rateNotAvailable(counts: Pick<ResponseRate, "delivered" | "deliveredFrom">, responses: number): string | null {
  if (responses <= counts.delivered) return null;
  const source =
    counts.deliveredFrom === "recipient list"
      ? `the recipient list covers fewer people (${counts.delivered} delivered) than responded (${responses})`
      : `the cycle file's delivered count (${counts.delivered}) is smaller than the responses (${responses})`;
  return `${source}, so the rate would be over 100%: load the complete recipient list, or correct the delivered count, and compute again`;
}

/** One row of Table 6: the counts and, where it is available, the rate with its Wilson interval. */
function rate(group: string, label: string, counts: RateCounts): ResponseRate {
  const responses = counts.childAndFamilyOnly + counts.both + counts.notSplit;
  const { delivered } = counts;
  const notAvailable = rateNotAvailable(counts, responses);
  if (notAvailable !== null) return { group, label, ...counts, responses, proportion: null, percentage: null, interval95: null, notAvailable };
  return {
    group,
    label,
    ...counts,
    responses,
    proportion: delivered === 0 ? 0 : responses / delivered,
    percentage: delivered === 0 ? 0 : displayPercentage(responses, delivered),
    interval95: delivered === 0 ? { lower: 0, upper: 1 } : wilsonInterval(responses, delivered),
    notAvailable: null,
  };
}

/**
 * The total's rate is not given when a group's is not: its delivered count is part of the
 * total's, which is then too small too, however the total's own rate comes out.
 */
function withoutUnavailableGroups(total: ResponseRate, groups: readonly ResponseRate[]): ResponseRate {
  const unavailable = groups.filter((g) => g.notAvailable !== null);
  if (unavailable.length === 0) return total;
  const which = unavailable.map((g) => g.label).join(", ");
  return {
    ...total,
    proportion: null,
    percentage: null,
    interval95: null,
    notAvailable: `not available for ${which}, whose delivered count covers fewer people than responded: the total's delivered count is too small too`,
  };
}

/**
 * What `asye check` warns of an export whose accepted responses outnumber the links the cycle
 * file says were delivered to its group: Table 6 would mark the group's rate not available.
 * `check` reads no recipient list (it starts no servers); a loaded list is checked by compute,
 * whose results, report and tables say the same.
 */
export function responsesOverDelivered(config: CycleConfig, group: string, responses: number): string | undefined {
  const delivered = config.groups.find((g) => g.id === group)?.delivered;
  if (delivered === undefined) return undefined;
  if (rateNotAvailable({ delivered, deliveredFrom: "cycle file" }, responses) === null) return undefined;
  return (
    `${responses} responses would be accepted, more than the ${delivered} links the cycle file says were delivered to this group, ` +
    `so its response rate would be over 100%: Table 6 marks it not available. Correct the group's "delivered" in the cycle file, ` +
    "or send the invitations from a complete recipient list (its count, sent minus bounced, is used instead). " +
    "A recipient list already loaded is not read here: compute checks it and warns."
  );
}
