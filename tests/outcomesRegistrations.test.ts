import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseAnyCycle } from "../lib/config/parseAnyCycle.ts";
import { encodeOutcomesExport } from "../lib/outcomes/encodeOutcomesExport.ts";
import { financialYearOf, registrationDate } from "../lib/outcomes/financialYear.ts";
import { analysedRecords, decodeRecords, registrations } from "../lib/outcomes/outcomeFigures.ts";
import { serviceAreaComparison } from "../lib/outcomes/serviceAreaFigures.ts";
import { aggregateRecords } from "../lib/outcomes/outcomeRecords.ts";
import { outcomesConfigSchema } from "../lib/outcomes/outcomesConfig.ts";
import { wholePercentages } from "../lib/outcomes/registrationShares.ts";
import { pCell } from "../lib/outcomes/outcomesTables.ts";

const CYCLE_FILE = "examples/asye-outcomes-2025/cycle.json";
const cycleJson = () => JSON.parse(readFileSync(CYCLE_FILE, "utf8"));
const config = () => outcomesConfigSchema.parse(cycleJson());
const HEADER = "nqsw_id,cohort,employer,employer_type,region,gender,age_band,ethnicity,nationality,service_area,deferrals,outcome,registration_date";
const REST = "Employer 038,Fostering,Yorkshire and Humber,Female,Under 25,White Irish,British";
const encode = (lines: string[], cycle = config()) => encodeOutcomesExport(Readable.from([Buffer.from(`${[HEADER, ...lines].join("\n")}\n`)]), cycle, "records", "personal/uploads/asye-outcomes-2025/records/records.csv");

describe("registration dates and financial years", () => {
  it("puts a date in its financial year, April to March", () => {
    expect(financialYearOf(2024, 3)).toBe("2023-24");
    expect(financialYearOf(2024, 4)).toBe("2024-25");
    expect(financialYearOf(1999, 12)).toBe("1999-00");
    expect(registrationDate("31/03/2025", "dmy")).toEqual({ kind: "year", financialYear: "2024-25" });
    expect(registrationDate("2025-04-01", "dmy")).toEqual({ kind: "year", financialYear: "2025-26" });
    // 04/01/2025: 4 January in the UK, 1 April in the US.
    expect(registrationDate("04/01/2025", "dmy")).toEqual({ kind: "year", financialYear: "2024-25" });
    expect(registrationDate("04/01/2025", "mdy")).toEqual({ kind: "year", financialYear: "2025-26" });
    expect(registrationDate("  ", "dmy")).toEqual({ kind: "blank" });
    for (const bad of ["31/02/2025", "2025-13-01", "yesterday", "01/01/1890"]) expect(registrationDate(bad, "dmy"), bad).toEqual({ kind: "invalid" });
  });

  it("rejects a bad registration date or service area by row, column, value and what was expected, and keeps only the financial year", async () => {
    const encoded = await encode([
      `N1,2024-25,${REST},Child and family,0,In progress,02/09/2024`,
      `N2,2024-25,${REST},Child and family,0,In progress,31/02/2025`,
      `N3,2024-25,${REST},Social care,0,In progress,02/09/2024`,
      `N4,2024-25,${REST},Adults,0,In progress,`,
    ]);
    expect(encoded.rejections.problems).toEqual([
      { row: 3, column: "registration_date", value: "31/02/2025", expected: "a registration date such as 2024-09-02 or 02/09/2024 (day/month/year), between 2000 and 2099, or blank when not known" },
      { row: 4, column: "service_area", value: "Social care", expected: expect.stringMatching(/^one of "Child and family", "Adult", "Adults", or not known/) },
    ]);
    expect(encoded.batch.records).toHaveLength(2);
    expect(encoded.batch.registered).toEqual({ financialYears: ["2024-25"], codes: [1, 0] });
    expect(JSON.stringify(encoded.batch)).not.toMatch(/02\/09\/2024|2024-09-02/);
  });

  it("withholds a service area's share when none or all of its NQSWs have the characteristic (0% or 100% would say each one's)", async () => {
    // 60 adult NQSWs in 2024-25, every one female (REST's gender), so 0% male; and 60 child and family, 6 of them male.
    const adults = Array.from({ length: 60 }, (_, i) => `A${i},2024-25,${REST},Adults,0,In progress,01/05/2024`);
    const family = Array.from({ length: 60 }, (_, i) => `F${i},2024-25,${i < 6 ? REST.replace("Female", "Male") : REST},Child and family,0,In progress,01/05/2024`);
    const cycle = config();
    const areas = serviceAreaComparison(cycle, decodeRecords([(await encode([...adults, ...family])).batch]))!;
    const male = areas.shares.find((share) => share.level === "male")!.cohorts.find((c) => c.cohort === "2024-25")!.areas;
    expect(male.map((a) => [a.label, a.suppressed, a.percentage])).toEqual([
      ["Child and family", false, 10],
      ["Adult", true, null],
    ]);
    expect(male[1]!.count).toBeNull();
  });

  it("refuses an export without the registration date column the cycle names, naming it", async () => {
    const cycle = config();
    await expect(encodeOutcomesExport(Readable.from([Buffer.from(`${HEADER.replace(",registration_date", "")}\nN1,2024-25,${REST},Child and family,0,In progress\n`)]), cycle, "records", "records.csv")).rejects.toThrow(/registration_date/);
  });

  it("counts registrations by financial year and area of the analysed service area alone, and aggregates that area's records alone", async () => {
    const encoded = await encode([
      `N1,2023-24,${REST},Child and family,0,Successfully completed,15/03/2024`,
      `N2,2022-23,${REST},Child and family,0,Successfully completed,15/04/2023`,
      `N3,2024-25,${REST},Child and family,0,In progress,01/04/2024`,
      `N4,2024-25,${REST},Adults,0,In progress,01/05/2024`,
      `N5,2024-25,${REST},Child and family,0,In progress,`,
    ]);
    const cycle = config();
    const r = registrations(cycle, analysedRecords(cycle, decodeRecords([encoded.batch])))!;
    expect(r.byFinancialYear).toEqual([
      { financialYear: "2023-24", nqsws: 2 },
      { financialYear: "2024-25", nqsws: 1 },
    ]);
    expect(r.withoutRegistrationDate).toBe(1);
    expect(r.byCohort.find((c) => c.cohort === "2024-25")!.nqsws).toBe(2);
    const counts = aggregateRecords(encoded.batch, { variable: "service-area", level: "child-and-family" });
    expect(counts.cohorts["2024-25"]!.registrations).toBe(2);
    expect(aggregateRecords(encoded.batch).cohorts["2024-25"]!.registrations).toBe(3);
  });
});

describe("area shares and the regression table's numbers", () => {
  it("rounds shares half up (37/29/35 of Table 3's regions) or by largest remainder, as the report does (37/28/35)", () => {
    expect(wholePercentages([957, 743, 899], 2599, "half-up")).toEqual([37, 29, 35]);
    expect(wholePercentages([957, 743, 899], 2599, "largest-remainder")).toEqual([37, 28, 35]);
    // Parts that do not make the whole add to their own share of it.
    expect(wholePercentages([1, 1, 1], 4, "largest-remainder")).toEqual([25, 25, 25]);
    expect(wholePercentages([1, 1, 1], 3, "largest-remainder")).toEqual([34, 33, 33]);
    expect(wholePercentages([0, 0], 0, "half-up")).toEqual([0, 0]);
  });

  it("writes p-values in one format: <0.001, else three decimals with trailing zeros", () => {
    expect(pCell(4.67e-8)).toBe("<0.001");
    expect(pCell(0.05)).toBe("0.050");
    expect(pCell(0.1234)).toBe("0.123");
    expect(pCell(null)).toBe("[x]");
  });
});

describe("the outcomes cycle file's service areas", () => {
  it("refuses a service area, analysed level, rate basis or share that does not exist, naming the path", () => {
    const bad = cycleJson();
    bad.serviceAreas = { variable: "service-area", analysed: "children", rateBasis: "age", shares: [{ variable: "gender", level: "other" }, { variable: "shoe-size", level: "large" }] };
    expect(() => parseAnyCycle(JSON.stringify(bad), "outcomes.json")).toThrow(
      /serviceAreas\.analysed: "children" is not one of the levels of service-area[\s\S]*serviceAreas\.rateBasis: "age" is not one of rates[\s\S]*serviceAreas\.shares\[0\]\.level: "other" is not one of the levels of gender[\s\S]*serviceAreas\.shares\[1\]\.variable: unknown variable "shoe-size"/,
    );
  });

  it("refuses a registration date column that is blank, and a rounding it does not know", () => {
    const bad = cycleJson();
    bad.columns.registrationDate = "";
    bad.registrationBy.areaRounding = "bankers";
    expect(() => parseAnyCycle(JSON.stringify(bad), "outcomes.json")).toThrow(/columns\.registrationDate[\s\S]*registrationBy\.areaRounding/);
  });
});
