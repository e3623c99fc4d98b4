import { describe, expect, it } from "vitest";
import { FileRejectedError } from "../lib/errors.ts";
import { DateColumn, dateOrdersOf } from "../lib/sources/dateColumn.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { bytesOf, encodeLeads } from "./support/encodeLeads.ts";
import { LEADS_HEADER, testCycle } from "./support/testCycle.ts";

// Dates are never read swapped: a column's order is settled from all its values, or the file
// is refused naming dateOrder.

/** Google Sheets' download of a form's responses: month first, `M/D/YYYY H:MM:SS`. */
function sheetsTimestamps(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${1 + (i % 12)}/${1 + ((i * 5) % 28)}/2019 ${i % 24}:02:32`);
}

function settledOf(values: readonly string[], order: "dmy" | "mdy", declared: boolean, keepsDates = false) {
  const column = new DateColumn("Timestamp", order, declared);
  values.forEach((value, i) => column.read(i + 2, value));
  return column.settle(keepsDates);
}

describe("a date column's order", () => {
  it("reads each form in the orders it allows", () => {
    expect(dateOrdersOf("13/12/2019 12:02:32")).toBe(1);
    expect(dateOrdersOf("12/13/2019 12:02:32")).toBe(2);
    expect(dateOrdersOf("1/9/2020")).toBe(3);
    expect(dateOrdersOf("2025-01-20T10:15:00Z")).toBe(3);
    expect(dateOrdersOf("13/13/2019")).toBe(0);
  });

  it("is settled month first from Sheets' download, though the tool's default is day first", () => {
    const values = sheetsTimestamps(338);
    // Both kinds are there: values only month first, and values either way.
    expect(values.filter((v) => dateOrdersOf(v) === 2).length).toBeGreaterThan(100);
    expect(values.filter((v) => dateOrdersOf(v) === 3).length).toBeGreaterThan(100);
    expect(settledOf(values, "dmy", false)).toEqual({ order: "mdy", inferred: true });
  });

  it("takes the tool's default when every value could be either", () => {
    expect(settledOf(["1/9/2020 10:00", "2/3/2020 11:00"], "dmy", false)).toEqual({ order: "dmy", inferred: false });
  });

  it("refuses values that need both orders, naming a row of each and dateOrder", () => {
    const settled = settledOf(["1/9/2020 10:00", "13/1/2020 10:00", "1/13/2020 10:00"], "dmy", false);
    expect(settled).toEqual({ refusal: expect.stringContaining('row 3: "13/1/2020 10:00" can only be day first; row 4: "1/13/2020 10:00" can only be month first') });
    expect(JSON.stringify(settled)).toContain('set \\"dateOrder\\"');
  });

  it("refuses values that contradict the declared order", () => {
    expect(settledOf(sheetsTimestamps(20), "dmy", true)).toEqual({ refusal: expect.stringContaining('not in the declared "dateOrder": "dmy"') });
  });

  it("where dates are kept, refuses a column read partly in the default order rather than keep a swapped day", () => {
    const settled = settledOf(sheetsTimestamps(20), "dmy", false, true);
    expect(settled).toEqual({ refusal: expect.stringContaining('set "dateOrder": "mdy"') });
    // Read as the only order each value allows, nothing swapped: the declared order reads them all.
    expect(settledOf(sheetsTimestamps(20), "mdy", true, true)).toEqual({ order: "mdy", inferred: false });
  });
});

describe("a survey export's completion times", () => {
  const config = cycleConfigSchema.parse(testCycle());
  const row = (id: string, when: string) => `${id},${when},Child and family only,Agree,Strongly agree,Yes,`;
  const encode = async (whens: readonly string[]) => {
    const { accepted, problems, dateOrder } = await encodeLeads(bytesOf([LEADS_HEADER, ...whens.map((when, i) => row(`r${i}`, when))].join("\n")), config);
    return { accepted, problems, dateOrder };
  };

  it("accepts every row of a month-first export, none rejected and none read day first", async () => {
    const result = await encode(sheetsTimestamps(338));
    expect(result).toEqual({ accepted: 338, problems: [], dateOrder: { order: "mdy", inferred: true } });
  });

  it("refuses an export whose dates need both orders", async () => {
    await expect(encode(["13/1/2025 10:00", "1/13/2025 10:00"])).rejects.toThrow(FileRejectedError);
    await expect(encode(["13/1/2025 10:00", "1/13/2025 10:00"])).rejects.toThrow(/"dateOrder"/);
  });
});
