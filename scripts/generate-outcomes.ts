/**
 * `npm run examples` (last step): writes examples/asye-outcomes-2025/: a cycle file and the
 * registration platform's export of synthetic NQSW records (no real person or employer) from
 * which the pipeline reproduces Appendices 1 and 2 of the 2024-25 annual report: 2,753 / 2,574 /
 * 3,070 records by cohort (8,397), 4,700 complete cases of whom 4,676 passed and 24 did not,
 * 1.1% vs 0.2% unsuccessful by ethnicity and 1.5% vs 0.4% by gender, and the 2024-25
 * registrations by employer type and region (Tables 2 and 3); and exports/aggregates.csv, the
 * counts kept from two earlier cohorts whose records have expired, for five years of trends.
 *
 * Each record has a registration date (day/month/year) giving Appendix 1's registrations by
 * financial year: 2,599 in 2024-25 (the 2024-25 cohort) and 3,201 in 2023-24 (the 3,070 of the
 * 2023-24 cohort and 131 of the 2022-23 cohort registered late); 2022-23 gives 2,844 as the
 * 2022-23 report says (2,443 of its cohort and 401 of 2021-22's), and 2021-22 the other 2,352 of
 * its cohort, so the two years before the 2023-24 peak are increases, as the report says. And
 * synthetic adult-services records (excluded from Appendices 1 and 2's child and family figures)
 * for the service-area comparison (Appendix 2, Figures 4-6): higher unsuccessful rates, more
 * global majority and more male NQSWs than child and family, as the report describes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { csvLine } from "./csvLine.ts";
import { seededRandom, shuffle } from "./seededRandom.ts";

const random = seededRandom(2025_12);
/** A second stream for what was added later (dates, adult records), so the first stream's records stay as they were. */
const later = seededRandom(2026_12);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

/** Appendix 1, Table 2: employer types, employers and NQSWs registered in 2024-25. */
const EMPLOYER_TYPES = [
  { label: "Local authority", employers: 143, nqsws: 2452 },
  { label: "Private, voluntary and independent (PVI)", employers: 18, nqsws: 94 },
  { label: "Fostering", employers: 21, nqsws: 35 },
  { label: "NHS", employers: 9, nqsws: 16 },
  { label: "School", employers: 1, nqsws: 2 },
];
/** Appendix 1, Table 3: regions, NQSWs and employers in 2024-25. */
const REGIONS = [
  { label: "London", nqsws: 396, employers: 41 },
  { label: "South West", nqsws: 221, employers: 18 },
  { label: "South East", nqsws: 340, employers: 24 },
  { label: "West Midlands", nqsws: 289, employers: 22 },
  { label: "East Midlands", nqsws: 194, employers: 10 },
  { label: "East of England", nqsws: 260, employers: 14 },
  { label: "Yorkshire and Humber", nqsws: 333, employers: 22 },
  { label: "North West", nqsws: 440, employers: 30 },
  { label: "North East", nqsws: 126, employers: 11 },
];
const COHORTS = { "2021-22": 2753, "2022-23": 2574, "2023-24": 3070 } as const;
const WHITE = ["White British", "White Irish", "White other"];
const GLOBAL_MAJORITY = ["Asian or Asian British", "Black, African, Caribbean or Black British", "Mixed or multiple ethnic groups", "Other ethnic group"];
const AGES = ["Under 25", "25-34", "35-44", "45 and over"];

interface Employer {
  name: string;
  type: string;
  region: string;
}

interface Record {
  cohort: string;
  employer: Employer;
  gender: string;
  age: string;
  ethnicity: string;
  nationality: string;
  deferrals: string;
  outcome: string;
}

/** 192 employers whose types and regions pair up, each named only by a number. */
function employers(): Employer[] {
  const types = shuffle(EMPLOYER_TYPES.flatMap((t) => Array<string>(t.employers).fill(t.label)), random);
  const regions = shuffle(REGIONS.flatMap((r) => Array<string>(r.employers).fill(r.label)), random);
  return types.map((type, i) => ({ name: `Employer ${String(i + 1).padStart(3, "0")}`, type, region: regions[i]! }));
}

/**
 * The 2024-25 registrations: every employer registers at least one NQSW; the rest go to the
 * small employer types first (within regions with room left), then each region's remainder to
 * its local authorities, so both tables' totals come out exactly.
 */
function registrations(list: Employer[]): Employer[] {
  const counts = new Map(list.map((e) => [e, 1]));
  const regionLeft = new Map(REGIONS.map((r) => [r.label, r.nqsws - r.employers]));
  for (const type of EMPLOYER_TYPES.slice(1)) {
    let left = type.nqsws - type.employers;
    const own = list.filter((e) => e.type === type.label);
    while (left > 0) {
      const employer = pick(own.filter((e) => regionLeft.get(e.region)! > 0));
      counts.set(employer, counts.get(employer)! + 1);
      regionLeft.set(employer.region, regionLeft.get(employer.region)! - 1);
      left--;
    }
  }
  for (const region of REGIONS) {
    const authorities = list.filter((e) => e.type === "Local authority" && e.region === region.label);
    if (authorities.length === 0) throw new Error(`no local authority in ${region.label}: reseed`);
    for (let left = regionLeft.get(region.label)!; left > 0; left--) {
      const employer = pick(authorities);
      counts.set(employer, counts.get(employer)! + 1);
    }
  }
  return list.flatMap((e) => Array<Employer>(counts.get(e)!).fill(e));
}

/**
 * The 4,700 complete cases: ethnicity by gender with the published rates (global majority 17 of
 * 1,500 unsuccessful, white 7 of 3,200; male 9 of 600, female 15 of 4,100), deferrals raising the
 * risk, and the other characteristics at random.
 */
function completeCases(list: Employer[]): Omit<Record, "cohort">[] {
  const cells = [
    { ethnicity: GLOBAL_MAJORITY, gender: "Male", n: 250, fails: 6 },
    { ethnicity: GLOBAL_MAJORITY, gender: "Female", n: 1250, fails: 11 },
    { ethnicity: WHITE, gender: "Male", n: 350, fails: 3 },
    { ethnicity: WHITE, gender: "Female", n: 2850, fails: 4 },
  ];
  const out: Omit<Record, "cohort">[] = [];
  for (const cell of cells) {
    for (let i = 0; i < cell.n; i++) {
      const failed = i < cell.fails;
      const deferrals = failed ? pick(["0", "0", "1", "1", "2"]) : random() < 0.86 ? "0" : random() < 0.75 ? "1" : pick(["2", "3"]);
      out.push({
        employer: pick(list),
        gender: cell.gender,
        age: pick(AGES),
        ethnicity: pick(cell.ethnicity),
        nationality: random() < 0.88 ? "British" : "Other",
        deferrals,
        outcome: failed ? "Unsuccessfully completed" : "Successfully completed",
      });
    }
  }
  return shuffle(out, random);
}

/** A record that is not a complete case: its outcome is not known yet, or one characteristic is not. */
function incomplete(list: Employer[]): Omit<Record, "cohort"> {
  const record: Omit<Record, "cohort"> = {
    employer: pick(list),
    gender: random() < 0.85 ? "Female" : "Male",
    age: pick(AGES),
    ethnicity: random() < 0.3 ? pick(GLOBAL_MAJORITY) : pick(WHITE),
    nationality: random() < 0.88 ? "British" : "Other",
    deferrals: random() < 0.85 ? "0" : "1",
    outcome: random() < 0.995 ? "Successfully completed" : "Unsuccessfully completed",
  };
  const gap = pick(["outcome", "ethnicity", "nationality", "age", "gender"] as const);
  if (gap === "outcome") record.outcome = pick(["In progress", ""]);
  else if (gap === "ethnicity") record.ethnicity = pick(["Prefer not to say", ""]);
  else if (gap === "nationality") record.nationality = "";
  else if (gap === "age") record.age = "";
  else record.gender = "Prefer not to say";
  return record;
}

function cycleJson(): unknown {
  const variable = (id: string, label: string, column: string, levels: { id: string; label: string; values: string[] }[], reference: string, phrase?: string) => ({ id, label, column, levels, reference, ...(phrase ? { phrase } : {}) });
  return {
    kind: "outcomes",
    id: "asye-outcomes-2025",
    title: "ASYE registrations and outcomes 2024-25",
    source: { tool: "csv" },
    cohorts: ["2021-22", "2022-23", "2023-24", "2024-25"],
    analysisCohorts: ["2021-22", "2022-23", "2023-24"],
    registrationCohort: "2024-25",
    outcome: { successful: ["Successfully completed"], unsuccessful: ["Unsuccessfully completed"], pending: ["", "In progress", "Deferred"] },
    variables: [
      variable("gender", "Gender", "gender", [{ id: "female", label: "Female", values: ["F"] }, { id: "male", label: "Male", values: ["M"] }], "female"),
      variable("age", "Age band", "age_band", AGES.map((age) => ({ id: age.toLowerCase().replace(/[^a-z0-9]+/g, "-"), label: age, values: [age] })), "25-34", "NQSWs aged {lower}"),
      variable("ethnicity", "Ethnicity", "ethnicity", [{ id: "white", label: "White", values: WHITE }, { id: "global-majority", label: "Global majority", values: GLOBAL_MAJORITY }], "white"),
      variable("nationality", "Nationality", "nationality", [{ id: "british", label: "British", values: ["UK"] }, { id: "other", label: "Other nationality", values: ["Other", "Non-UK"] }], "british", "NQSWs of {lower}"),
      variable("region", "Region", "region", REGIONS.map((r) => ({ id: r.label.toLowerCase().replace(/[^a-z0-9]+/g, "-"), label: r.label, values: [r.label] })), "london", "NQSWs in {label}"),
      variable("deferrals", "Deferrals", "deferrals", [{ id: "none", label: "Not deferred", values: ["0"] }, { id: "once", label: "Deferred once", values: ["1"] }, { id: "twice-or-more", label: "Deferred twice or more", values: ["2", "3", "4", "5"] }], "none", "NQSWs {lower}"),
      variable("employer-type", "Employer type", "employer_type", EMPLOYER_TYPES.map((t) => ({ id: t.label.split(" ")[0]!.toLowerCase().replace(/[^a-z]/g, ""), label: t.label, values: [t.label] })), "local"),
      variable("service-area", "Service area", "service_area", [{ id: "child-and-family", label: "Child and family", values: ["Child and family"] }, { id: "adult", label: "Adult", values: ["Adults"] }], "child-and-family"),
    ],
    predictors: ["gender", "age", "ethnicity", "nationality", "region", "deferrals"],
    rates: ["ethnicity", "gender", "deferrals"],
    registrationBy: {
      employerType: "employer-type",
      region: "region",
      areas: [
        { id: "south", label: "South", regions: ["london", "south-west", "south-east"] },
        { id: "midlands", label: "Midlands", regions: ["west-midlands", "east-midlands", "east-of-england"] },
        { id: "north", label: "North", regions: ["yorkshire-and-humber", "north-west", "north-east"] },
      ],
      // The report's shares add to 100: 37%, 28%, 35% (half up the Midlands' 28.6% would be 29%).
      areaRounding: "largest-remainder",
    },
    columns: { registrationDate: "registration_date" },
    serviceAreas: {
      variable: "service-area",
      analysed: "child-and-family",
      shares: [
        { variable: "ethnicity", level: "global-majority", title: "% of NQSWs from global majority backgrounds by type of service" },
        { variable: "gender", level: "male", title: "% of male NQSWs by service type" },
      ],
    },
  };
}

/** Registrations a cohort's records made a financial year late (Appendix 1's Table 1 against Appendix 2's Table 1). */
const LATE: Partial<globalThis.Record<string, { count: number; year: string }>> = { "2021-22": { count: 401, year: "2022-23" }, "2022-23": { count: 131, year: "2023-24" } };

/** A day in a financial year (1 April to 31 March), as the platform writes it: 02/09/2024. */
function dateIn(financialYear: string): string {
  const start = Date.UTC(Number(financialYear.slice(0, 4)), 3, 1);
  const day = new Date(start + Math.floor(later() * 365) * 86_400_000);
  return `${String(day.getUTCDate()).padStart(2, "0")}/${String(day.getUTCMonth() + 1).padStart(2, "0")}/${day.getUTCFullYear()}`;
}

/** Each record's registration date: in its cohort's financial year, but for the late ones of the earlier cohorts. */
function registrationDates(list: readonly Record[]): string[] {
  const lateLeft = new Map(Object.entries(LATE).map(([cohort, late]) => [cohort, late!.count]));
  return list.map((r) => {
    const left = lateLeft.get(r.cohort) ?? 0;
    if (left === 0) return dateIn(r.cohort);
    lateLeft.set(r.cohort, left - 1);
    return dateIn(LATE[r.cohort]!.year);
  });
}

/** Adult services' cohorts: size, unsuccessful rate, share global majority, share male (synthetic, as Figures 4-6 describe). */
const ADULT_COHORTS = [
  { cohort: "2021-22", size: 1850, unsuccessful: 0.016, globalMajority: 0.38, male: 0.21 },
  { cohort: "2022-23", size: 2010, unsuccessful: 0.013, globalMajority: 0.41, male: 0.22 },
  { cohort: "2023-24", size: 2160, unsuccessful: 0.011, globalMajority: 0.44, male: 0.22 },
  { cohort: "2024-25", size: 1930, unsuccessful: 0, globalMajority: 0.46, male: 0.23 },
];

/** Synthetic adult-services records from 68 employers of their own. */
function adultRecords(): Record[] {
  const take = <T>(values: readonly T[]): T => values[Math.floor(later() * values.length)]!;
  const employers = Array.from({ length: 68 }, (_, i): Employer => ({ name: `Employer ${String(193 + i).padStart(3, "0")}`, type: later() < 0.8 ? "Local authority" : take(["NHS", "Private, voluntary and independent (PVI)"]), region: take(REGIONS).label }));
  return ADULT_COHORTS.flatMap((c) =>
    Array.from({ length: c.size }, (): Record => {
      const known = c.cohort !== "2024-25" && later() < 0.9;
      return {
        cohort: c.cohort,
        employer: take(employers),
        gender: later() < 0.03 ? "Prefer not to say" : later() < c.male ? "Male" : "Female",
        age: take(AGES),
        ethnicity: later() < 0.05 ? "" : later() < c.globalMajority ? take(GLOBAL_MAJORITY) : take(WHITE),
        nationality: later() < 0.85 ? "British" : "Other",
        deferrals: later() < 0.85 ? "0" : later() < 0.8 ? "1" : "2",
        outcome: !known ? "In progress" : later() < c.unsuccessful ? "Unsuccessfully completed" : "Successfully completed",
      };
    }),
  );
}

const list = employers();
const records: Record[] = [];
const complete = completeCases(list);
let next = 0;
for (const [cohort, size] of Object.entries(COHORTS)) {
  // Complete cases spread over the three cohorts in proportion; the rest of each cohort incomplete.
  const share = Math.round((4700 * size) / 8397);
  const take = cohort === "2023-24" ? complete.length - next : share;
  for (const record of complete.slice(next, next + take)) records.push({ cohort, ...record });
  next += take;
  for (let i = take; i < size; i++) records.push({ cohort, ...incomplete(list) });
}
for (const employer of registrations(list)) records.push({ cohort: "2024-25", ...incomplete([employer]), outcome: "In progress" });

const folder = join("examples", "asye-outcomes-2025");
mkdirSync(join(folder, "exports"), { recursive: true });
writeFileSync(join(folder, "cycle.json"), `${JSON.stringify(cycleJson(), null, 2)}\n`);
const lines = [csvLine(["nqsw_id", "cohort", "employer", "employer_type", "region", "gender", "age_band", "ethnicity", "nationality", "service_area", "deferrals", "outcome", "registration_date"])];
const childAndFamily = shuffle(records, random);
const dates = registrationDates(childAndFamily);
childAndFamily.forEach((r, i) => {
  lines.push(csvLine([`N${String(100_000 + i)}`, r.cohort, r.employer.name, r.employer.type, r.employer.region, r.gender, r.age, r.ethnicity, r.nationality, "Child and family", r.deferrals, r.outcome, dates[i]!]));
});
adultRecords().forEach((r, i) => {
  lines.push(csvLine([`N${String(100_000 + childAndFamily.length + i)}`, r.cohort, r.employer.name, r.employer.type, r.employer.region, r.gender, r.age, r.ethnicity, r.nationality, "Adults", r.deferrals, r.outcome, dateIn(r.cohort)]));
});
writeFileSync(join(folder, "exports", "records.csv"), `${lines.join("\n")}\n`);

/**
 * Counts kept from 2019-20 and 2020-21, whose records have expired (synthetic, falling over time
 * as the report describes): with the three cohorts above, the trends span five years.
 */
const legacy: [string, string, string, number, number][] = [];
for (const [cohort, scale] of [["2019-20", 1.3], ["2020-21", 1.15]] as const) {
  const rows: [string, string, number, number][] = [
    ["ethnicity", "White", 1650, 0.0045],
    ["ethnicity", "Global majority", 560, 0.018],
    ["gender", "Female", 1900, 0.006],
    ["gender", "Male", 310, 0.02],
    ["deferrals", "Not deferred", 1880, 0.004],
    ["deferrals", "Deferred once", 240, 0.035],
    ["deferrals", "Deferred twice or more", 90, 0.055],
  ];
  for (const [characteristic, level, base, rate] of rows) {
    const unsuccessful = Math.round(base * rate * scale);
    legacy.push([cohort, characteristic, level, base - unsuccessful, unsuccessful]);
  }
}
writeFileSync(join(folder, "exports", "aggregates.csv"), `${[csvLine(["cohort", "characteristic", "level", "successful", "unsuccessful"]), ...legacy.map((row) => csvLine(row.map(String)))].join("\n")}\n`);
console.log(`${folder}: ${lines.length - 1} synthetic records`);
