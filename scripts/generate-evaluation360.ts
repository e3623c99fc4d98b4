/**
 * `npm run examples` (last step): writes the 360-degree evaluation examples,
 * examples/asye-360-2025/ and examples/asye-360-2024/: a cycle file and synthetic responses
 * (no real organisation or person) from which the pipeline reproduces Appendix 4's Tables 1-4,
 * the published national average, minimum and maximum of every statement in both years.
 *
 * The responses are built from the published table (tests/fixtures/appendix-4-tables.tsv): each
 * statement has one organisation whose score is exactly the published minimum and one whose
 * score is exactly the maximum (ten ratings each), every other organisation scores between them,
 * and ratings are then nudged, one at a time, until the mean of the organisations' scores rounds
 * to the published average. The pipeline never sees these targets; it only reads the exports.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { csvLine } from "./csvLine.ts";
import { seededRandom, shuffle } from "./seededRandom.ts";

const THEMES = [
  { id: "nqsw-experience", title: "The NQSW experience is central to the ASYE" },
  { id: "framework-and-standards", title: "The ASYE programme is delivered in accordance with the ASYE framework and employer standards" },
  { id: "pqs-and-pcf", title: "The ASYE programme ensures that PQS (previously Knowledge and Skills Statement) and the PCF underpin NQSW professional practice" },
  { id: "organisational-system", title: "The ASYE programme is integrated within the wider organisational system" },
];

const RESPONDENT_TYPES = [
  { id: "self-assessment", label: "Self-assessment (on behalf of the organisation)", values: ["Self-assessment"] },
  { id: "nqsw", label: "Newly qualified social worker (NQSW)", values: ["NQSW"] },
  { id: "assessor", label: "ASYE assessor or supervisor", values: ["Assessor", "Supervisor"] },
  { id: "line-manager", label: "Line manager", values: [] },
  { id: "other", label: "Other", values: [] },
];

const RATING_LABELS = ["Significant development needed", "Development needed", "Working well", "Strength", "Exceptional strength"];

const REGIONS = ["East Midlands", "East of England", "London", "North East", "North West", "South East", "South West", "West Midlands", "Yorkshire and the Humber"];

/** One statement of Appendix 4 with its published figures for both years. */
interface PublishedStatement {
  number: number;
  theme: number;
  text: string;
  year: Record<"2025" | "2024", { average: number; min: number; max: number }>;
}

/** Appendix 4's Tables 1-4, transcribed from the report. */
export function publishedAppendix4(path = "tests/fixtures/appendix-4-tables.tsv"): PublishedStatement[] {
  const [, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  return lines.map((line) => {
    const [number, theme, text, a25, n25, x25, a24, n24, x24] = line.split("\t");
    return {
      number: Number(number),
      theme: Number(theme),
      text: text!,
      year: {
        "2025": { average: Number(a25), min: Number(n25), max: Number(x25) },
        "2024": { average: Number(a24), min: Number(n24), max: Number(x24) },
      },
    };
  });
}

/** A registered organisation (synthetic). */
interface Organisation {
  id: string;
  name: string;
  region: string;
}

/** How one year's example is made. */
interface YearSpec {
  cycleId: string;
  title: string;
  previousCycleId?: string;
  year: "2025" | "2024";
  opens: string;
  cutOff: string;
  seed: number;
  included: string[];
  /** Organisations that sent something but do not meet the criteria, by reason. */
  noSelfAssessment: string[];
  tooFewOthers: string[];
  lateOthers: string[];
  unrated: "excluded" | "zero";
  tool: "smartsurvey" | "csv";
}

/** One response as the tool recorded it. */
interface Response {
  organisation: string;
  type: string;
  submitted: Date;
  /** Rating per statement number (0 = "Don't know"). */
  ratings: Map<number, number>;
}

function organisations(): Organisation[] {
  // North East gets three organisations, so its regional averages are withheld (fewer than five).
  const regionOf = (index: number) => (index % 50 === 7 ? "North East" : REGIONS.filter((r) => r !== "North East")[index % 8]!);
  return Array.from({ length: 230 }, (_, i) => {
    const id = `org-${String(i + 1).padStart(3, "0")}`;
    return { id, name: `Employer ${String(i + 1).padStart(3, "0")}`, region: regionOf(i) };
  });
}

/** The ratings of one organisation's raters summing to `sum`, spread a little, in random order. */
function spread(sum: number, n: number, random: () => number): number[] {
  const ratings = Array.from({ length: n }, (_, i) => Math.floor(sum / n) + (i < sum % n ? 1 : 0));
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (i !== j && ratings[i]! < 5 && ratings[j]! > 1) {
      ratings[i]!++;
      ratings[j]!--;
    }
  }
  return shuffle(ratings, random);
}

function dateBetween(from: string, to: string, random: () => number): Date {
  const start = Date.parse(`${from}T09:00:00Z`);
  const end = Date.parse(`${to}T17:00:00Z`);
  const at = new Date(start + random() * (end - start));
  at.setUTCSeconds(0, 0);
  return at;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Builds one year's responses so that the published figures come out of them. */
function buildYear(spec: YearSpec, statements: PublishedStatement[]): Response[] {
  const random = seededRandom(spec.seed);
  const responses: Response[] = [];
  const otherType = () => {
    const r = random();
    return r < 0.4 ? "nqsw" : r < 0.65 ? "assessor" : r < 0.85 ? "line-manager" : "other";
  };
  const onTime = () => dateBetween(spec.opens, addDays(spec.cutOff, -1), random);
  const late = () => dateBetween(addDays(spec.cutOff, 1), addDays(spec.cutOff, 20), random);
  // Included organisations: a self-assessment and 3 to 13 others; a quarter have 10 or more in all.
  const members = new Map<string, Response[]>();
  spec.included.forEach((organisation, index) => {
    const others = index % 4 === 0 ? 9 + Math.floor(random() * 5) : 3 + Math.floor(random() * 8);
    const list: Response[] = [{ organisation, type: "self-assessment", submitted: onTime(), ratings: new Map() }];
    for (let k = 0; k < others; k++) list.push({ organisation, type: otherType(), submitted: onTime(), ratings: new Map() });
    members.set(organisation, list);
    responses.push(...list);
  });
  const big = spec.included.filter((organisation) => members.get(organisation)!.length >= 10);
  const effect = new Map(spec.included.map((organisation) => [organisation, (random() - 0.5) * 0.9]));

  for (const statement of statements) {
    const target = statement.year[spec.year];
    const [minOrg, maxOrg] = shuffle(big.slice(), random).slice(0, 2) as [string, string];
    const score = new Map<string, { sum: number; n: number; lo: number; hi: number }>();
    for (const organisation of spec.included) {
      const list = members.get(organisation)!;
      let raters: Response[];
      let sum: number;
      if (organisation === minOrg || organisation === maxOrg) {
        const value = organisation === minOrg ? target.min : target.max;
        // A published 0.0 is an organisation none of whose respondents rated the statement.
        raters = value === 0 ? [] : list.slice(0, 10);
        sum = Math.round(value * 10);
      } else {
        raters = list.filter(() => random() > 0.04);
        if (raters.length < 2) raters = list.slice(0, 2);
        const n = raters.length;
        const lo = Math.max(n, Math.ceil(target.min * n - 1e-9));
        const hi = Math.min(5 * n, Math.floor(target.max * n + 1e-9));
        const wanted = target.average + effect.get(organisation)! + (random() - 0.5) * 0.5;
        sum = Math.min(hi, Math.max(lo, Math.round(wanted * n)));
        score.set(organisation, { sum, n, lo, hi });
      }
      for (const response of list) response.ratings.set(statement.number, 0);
      const values = raters.length === 0 ? [] : spread(sum, raters.length, random);
      raters.forEach((response, i) => response.ratings.set(statement.number, values[i]!));
      if (organisation === minOrg || organisation === maxOrg) score.set(organisation, { sum, n: raters.length, lo: sum, hi: sum });
    }
    // Nudge one organisation's ratings at a time until the mean of scores is near the published average.
    const adjustable = spec.included.filter((organisation) => organisation !== minOrg && organisation !== maxOrg);
    const meanOfScores = () => spec.included.reduce((total, organisation) => {
      const s = score.get(organisation)!;
      return total + (s.n === 0 ? 0 : s.sum / s.n);
    }, 0) / spec.included.length;
    for (let guard = 0; Math.abs(meanOfScores() - target.average) > 0.01; guard++) {
      if (guard > 100_000) throw new Error(`statement ${statement.number}: could not reach ${target.average}`);
      const organisation = adjustable[Math.floor(random() * adjustable.length)]!;
      const s = score.get(organisation)!;
      const step = meanOfScores() < target.average ? 1 : -1;
      if (s.sum + step < s.lo || s.sum + step > s.hi) continue;
      s.sum += step;
      const raters = members.get(organisation)!.filter((response) => response.ratings.get(statement.number)! > 0);
      const values = spread(s.sum, raters.length, random);
      raters.forEach((response, i) => response.ratings.set(statement.number, values[i]!));
    }
  }

  // Late responses from some included organisations: all 1s, so counting them would show.
  spec.included.slice(0, 12).forEach((organisation) => {
    responses.push({ organisation, type: otherType(), submitted: late(), ratings: new Map(statements.map((s) => [s.number, 1])) });
  });
  const someRatings = () => new Map(statements.map((s) => [s.number, 2 + Math.floor(random() * 4)]));
  for (const organisation of spec.noSelfAssessment) {
    for (let k = 0; k < 3 + Math.floor(random() * 5); k++) responses.push({ organisation, type: otherType(), submitted: onTime(), ratings: someRatings() });
  }
  for (const organisation of spec.tooFewOthers) {
    responses.push({ organisation, type: "self-assessment", submitted: onTime(), ratings: someRatings() });
    for (let k = 0; k < 1 + Math.floor(random() * 2); k++) responses.push({ organisation, type: otherType(), submitted: onTime(), ratings: someRatings() });
  }
  for (const organisation of spec.lateOthers) {
    responses.push({ organisation, type: "self-assessment", submitted: onTime(), ratings: someRatings() });
    for (let k = 0; k < 3 + Math.floor(random() * 3); k++) responses.push({ organisation, type: otherType(), submitted: late(), ratings: someRatings() });
  }
  return shuffle(responses, random);
}

/** A time as SmartSurvey writes it: London local time, day first. */
function ukTime(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function cycleJson(spec: YearSpec, statements: PublishedStatement[], registered: Organisation[]): unknown {
  const smartsurvey = spec.tool === "smartsurvey";
  return {
    kind: "evaluation360",
    id: spec.cycleId,
    title: spec.title,
    ...(spec.previousCycleId ? { previousCycleId: spec.previousCycleId } : {}),
    timezone: "Europe/London",
    source: smartsurvey ? { tool: "smartsurvey" } : { tool: "csv" },
    columns: smartsurvey
      ? { organisation: "Which organisation are you giving feedback on?", respondentType: "Which of these best describes you?" }
      : { organisation: "organisation", respondentType: "respondent_type" },
    statementColumn: smartsurvey ? "{theme} - {number}. {text}" : "Q{number}",
    themes: THEMES,
    statements: statements.map((s) => statementEntry(s, smartsurvey)),
    scale: { ratings: RATING_LABELS.map((label, i) => ({ value: i + 1, label })), notRatings: ["Don't know"] },
    respondentTypes: RESPONDENT_TYPES,
    inclusion: { selfAssessment: "self-assessment", minimumOtherRespondents: 3, submittedBy: spec.cutOff },
    minimumRespondentsPerType: 3,
    minimumOrganisationsPerRegion: 5,
    unrated: spec.unrated,
    organisations: registered,
  };
}

/**
 * Wording the published table cuts short (statement 3 ends "peer support netwo"), completed for
 * the reports, whose readers would otherwise see a cut word.
 */
const COMPLETED_WORDING: Readonly<Record<number, string>> = { 3: "networks" };

/** A statement of the cycle file: cut wording completed, the export's header kept as the tool wrote it (from the published wording). */
function statementEntry(s: PublishedStatement, smartsurvey: boolean): { number: number; theme: string; text: string; column?: string } {
  const theme = THEMES[s.theme - 1]!;
  const ending = COMPLETED_WORDING[s.number];
  if (ending === undefined) return { number: s.number, theme: theme.id, text: s.text };
  const text = s.text.replace(/\S+$/, ending);
  return { number: s.number, theme: theme.id, text, ...(smartsurvey ? { column: `${theme.title} - ${s.number}. ${s.text}` } : {}) };
}

function exportCsv(spec: YearSpec, statements: PublishedStatement[], responses: Response[], registered: Organisation[]): string {
  const nameOf = new Map(registered.map((organisation) => [organisation.id, organisation.name]));
  const typeLabel = new Map(RESPONDENT_TYPES.map((type) => [type.id, type.label]));
  const lines: string[] = [];
  if (spec.tool === "smartsurvey") {
    const themeHeader = statements.map((s, i) => (i === 0 || statements[i - 1]!.theme !== s.theme ? THEMES[s.theme - 1]!.title : ""));
    lines.push(csvLine(["UserNo", "Name", "Email", "IP Address", "Unique ID", "Started", "Ended", "Which organisation are you giving feedback on?", "Which of these best describes you?", ...themeHeader]));
    lines.push(csvLine(["", "", "", "", "", "", "", "", "", ...statements.map((s) => `${s.number}. ${s.text}`)]));
    responses.forEach((response, i) => {
      const started = new Date(response.submitted.getTime() - 12 * 60_000);
      const cells = statements.map((s) => {
        const rating = response.ratings.get(s.number)!;
        return rating === 0 ? "Don't know" : RATING_LABELS[rating - 1]!;
      });
      lines.push(csvLine([String(70_000_000 + i * 7), "", "", "", "", ukTime(started), ukTime(response.submitted), nameOf.get(response.organisation)!, typeLabel.get(response.type)!, ...cells]));
    });
    // Two rows a survey team would find in a real export: a rating outside the scale and an organisation not registered.
    const bad = statements.map(() => "Strength");
    lines.push(csvLine(["79999001", "", "", "", "", "02/12/2024 10:00:00", "02/12/2024 10:10:00", nameOf.get(spec.included[1]!)!, "Line manager", "6", ...bad.slice(1)]));
    lines.push(csvLine(["79999002", "", "", "", "", "03/12/2024 11:00:00", "03/12/2024 11:10:00", "Employer 999", "Other", ...bad]));
    return `\uFEFF${lines.join("\r\n")}\r\n`;
  }
  lines.push(csvLine(["response_id", "submitted_at", "organisation", "respondent_type", ...statements.map((s) => `Q${s.number}`)]));
  responses.forEach((response, i) => {
    const cells = statements.map((s) => {
      const rating = response.ratings.get(s.number)!;
      return rating === 0 ? "Don't know" : String(rating);
    });
    lines.push(csvLine([`R${String(i + 1).padStart(5, "0")}`, response.submitted.toISOString().slice(0, 19).replace("T", " "), response.organisation, response.type === "self-assessment" ? "Self-assessment" : typeLabel.get(response.type)!, ...cells]));
  });
  return `${lines.join("\n")}\n`;
}

const statements = publishedAppendix4();
const registered = organisations();
const ids = registered.map((organisation) => organisation.id);
const years: YearSpec[] = [
  {
    cycleId: "asye-360-2024",
    title: "360-degree evaluation tool 2023-24",
    year: "2024",
    opens: "2023-10-02",
    cutOff: "2024-03-28",
    seed: 2024,
    // 146 included; 2023-24's table shows one organisation with no rating on statement 8, scored 0 as the tool then did.
    included: [...ids.slice(0, 140), ...ids.slice(160, 166)],
    noSelfAssessment: ids.slice(166, 172),
    tooFewOthers: ids.slice(172, 178),
    lateOthers: ids.slice(178, 182),
    unrated: "zero",
    tool: "csv",
  },
  {
    cycleId: "asye-360-2025",
    title: "360-degree evaluation tool 2024-25",
    previousCycleId: "asye-360-2024",
    year: "2025",
    opens: "2024-10-01",
    cutOff: "2025-03-28",
    seed: 2025,
    included: ids.slice(0, 152),
    noSelfAssessment: ids.slice(152, 160),
    tooFewOthers: ids.slice(160, 167),
    lateOthers: ids.slice(167, 172),
    unrated: "excluded",
    tool: "smartsurvey",
  },
];
for (const spec of years) {
  const folder = join("examples", spec.cycleId);
  mkdirSync(join(folder, "exports"), { recursive: true });
  const responses = buildYear(spec, statements);
  writeFileSync(join(folder, "cycle.json"), `${JSON.stringify(cycleJson(spec, statements, registered), null, 2)}\n`);
  writeFileSync(join(folder, "exports", "responses.csv"), exportCsv(spec, statements, responses, registered));
  console.log(`${folder}: ${responses.length} responses from ${new Set(responses.map((r) => r.organisation)).size} organisations`);
}
