import type { SourceTool } from "../../lib/sources/sourceSchema.ts";
import type { CanonicalLeads, ToolQuestion } from "./canonicalLeads.ts";

/** A cell value as a tool writes it: text, or a date cell in a workbook. */
export type Cell = string | Date;

/** One column of a tool's export: its header cells (one per header row), the name it gets, its values. */
export interface ToolColumn {
  header: string[];
  /** The column's name as the cycle file gives it (what headerNames makes of `header`). */
  name: string;
  value: (record: Record<string, string>, index: number) => Cell;
  /** The canonical columns this column stands for (one, or all options of a delimited answer). */
  canonical: string[];
}

/** How one tool lays out the leads export, and what its cycle file needs besides column names. */
export interface ToolLayout {
  tool: SourceTool;
  file: string;
  format: "csv" | "tsv-utf16le" | "csv-windows-1252" | "csv-semicolon" | "xlsx";
  bom: boolean;
  headerRows: number;
  /** Rows between the header and the responses (Qualtrics). */
  extraRows: string[][];
  columns: ToolColumn[];
  source: Record<string, unknown>;
  /** Multi-select questions written in one cell: question id → separator. */
  delimited: Record<string, string>;
  /** Answer codes the tool writes instead of labels: scale id → code → label (and service area / ethnicity). */
  codes?: { scales: Record<string, Record<string, string>>; serviceArea: Record<string, string>; ethnicity: Record<string, string> };
}

const SERVICE_AREAS = ["Child and family only", "Both child and family and adult services"];
const ETHNICITIES = ["White", "Asian or Asian British", "Black, African, Caribbean or Black British", "Mixed or multiple ethnic groups", "Other ethnic group", "Prefer not to say"];

/** The canonical time (`2025-01-16T13:31:51Z`), in the forms tools write it (London is on GMT in Jan-Feb). */
function when(iso: string, style: "dmy" | "mdy12" | "iso" | "google" | "date"): Cell {
  const date = new Date(iso);
  if (style === "date") return date;
  const pad = (n: number) => String(n).padStart(2, "0");
  const [y, mo, d, h, mi, s] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  const h12 = `${h % 12 === 0 ? 12 : h % 12}:${pad(mi)}:${pad(s)} ${h < 12 ? "AM" : "PM"}`;
  if (style === "dmy") return `${pad(d)}/${pad(mo)}/${y} ${pad(h)}:${pad(mi)}:${pad(s)}`;
  if (style === "mdy12") return `${pad(mo)}/${pad(d)}/${y} ${h12}`;
  if (style === "google") return `${y}/${pad(mo)}/${pad(d)} ${h12} GMT`;
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

const answer = (canonical: string) => (record: Record<string, string>) => record[canonical] ?? "";
const chosen = (canonical: string, yes: string, no: string) => (record: Record<string, string>) => (record[canonical] === "Yes" ? yes : no);

/** Columns with one header row named by `name(question, part)`, multi-select as one column per option. */
function perPart(
  leads: CanonicalLeads,
  name: (question: ToolQuestion, part: ToolQuestion["parts"][number], index: number) => string,
  multi: (canonical: string, label: string) => ToolColumn["value"],
  value: (part: ToolQuestion["parts"][number], question: ToolQuestion) => ToolColumn["value"] = (part) => answer(part.canonical),
): ToolColumn[] {
  return leads.questions.flatMap((question) =>
    question.parts.map((part, index) => {
      const header = name(question, part, index);
      return {
        header: [header],
        name: header,
        canonical: [part.canonical],
        value: question.kind === "multi" ? multi(part.canonical, part.sub) : value(part, question),
      };
    }),
  );
}

/** Columns for a two-row header: question text over its first column, sub-question or option below. */
function twoRows(leads: CanonicalLeads, placeholder: string, multiValue: (label: string) => string): ToolColumn[] {
  return leads.questions.flatMap((question) =>
    question.parts.map((part, index) => {
      const sub = part.sub === "" ? placeholder : part.sub;
      return {
        header: [index === 0 ? question.text : "", sub],
        name: part.sub === "" ? question.text : `${question.text} - ${part.sub}`,
        canonical: [part.canonical],
        value: question.kind === "multi" ? chosen(part.canonical, multiValue(part.sub), "") : answer(part.canonical),
      };
    }),
  );
}

/** One column holding a multi-select question's choices, joined as the tool joins them. */
function delimitedColumn(question: ToolQuestion, header: string, join: (labels: string[]) => string): ToolColumn {
  return {
    header: [header],
    name: header,
    canonical: question.parts.map((part) => part.canonical),
    value: (record) => join(question.parts.filter((part) => record[part.canonical] === "Yes").map((part) => part.sub)),
  };
}

function meta(names: string[], values: ToolColumn["value"][], rows = 1): ToolColumn[] {
  return names.map((name, i) => ({ header: [name, ...Array<string>(rows - 1).fill("")], name, canonical: [], value: values[i] ?? (() => "") }));
}

const iso = (record: Record<string, string>) => record.submitted_at!;

function smartsurvey(leads: CanonicalLeads): ToolLayout {
  const columns = [
    ...meta(["UserNo", "Name", "Email", "IP Address", "Unique ID", "Started", "Ended"], [(_, i) => String(18_204_511 + i * 7), () => "", () => "", () => "", () => "", (r) => when(new Date(Date.parse(iso(r)) - 9 * 60_000).toISOString(), "dmy"), (r) => when(iso(r), "dmy")], 2),
    ...twoRows(leads, "", (label) => label),
  ];
  return { tool: "smartsurvey", file: "leads.csv", format: "csv", bom: true, headerRows: 2, extraRows: [], columns, source: {}, delimited: {} };
}

function surveymonkey(leads: CanonicalLeads): ToolLayout {
  const columns = [
    ...meta(
      ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"],
      [(_, i) => String(114_782_300_151 + i * 131), () => "431275886", (r) => when(new Date(Date.parse(iso(r)) - 11 * 60_000).toISOString(), "mdy12"), (r) => when(iso(r), "mdy12")],
      2,
    ),
    ...twoRows(leads, "Response", (label) => label),
  ];
  // SurveyMonkey keeps the apostrophes the author typed: curly ones here.
  for (const column of columns) {
    const plain = column.value;
    column.value = (record, index) => {
      const value = plain(record, index);
      return typeof value === "string" ? value.replace("Don't know", "Don\u2019t know") : value;
    };
  }
  return { tool: "surveymonkey", file: "leads.csv", format: "csv", bom: false, headerRows: 2, extraRows: [], columns, source: {}, delimited: {} };
}

function qualtrics(leads: CanonicalLeads): ToolLayout {
  const metaNames = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"];
  const metaTexts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name", "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude", "Distribution Channel", "User Language"];
  const columns: ToolColumn[] = meta(metaNames, [
    (r) => when(new Date(Date.parse(iso(r)) - 8 * 60_000).toISOString(), "iso"),
    (r) => when(iso(r), "iso"),
    () => "IP Address",
    () => "",
    () => "100",
    () => "480",
    () => "True",
    (r) => when(iso(r), "iso"),
    (_, i) => `R_${(0x3f2a91c + i * 7919).toString(36).toUpperCase()}qL${i}`,
    () => "",
    () => "",
    () => "",
    () => "",
    () => "",
    () => "",
    () => "anonymous",
    () => "EN-GB",
  ]);
  const texts = [...metaTexts];
  const imports = metaNames.map((name) => JSON.stringify({ ImportId: name === "RecordedDate" ? "recordedDate" : name.charAt(0).toLowerCase() + name.slice(1), ...(name.endsWith("Date") ? { timeZone: "Europe/London" } : {}) }));
  for (const question of leads.questions) {
    if (question.kind === "multi") {
      columns.push(delimitedColumn(question, `Q${question.number}`, (labels) => labels.join(",")));
      texts.push(question.text);
      imports.push(JSON.stringify({ ImportId: `QID${question.number}` }));
      continue;
    }
    question.parts.forEach((part, index) => {
      const code = question.parts.length > 1 ? `Q${question.number}_${index + 1}` : `Q${question.number}`;
      columns.push({ header: [code], name: code, canonical: [part.canonical], value: answer(part.canonical) });
      texts.push(part.sub === "" ? question.text : `${question.text} - ${part.sub}`);
      imports.push(JSON.stringify({ ImportId: question.parts.length > 1 ? `QID${question.number}_${index + 1}` : `QID${question.number}` }));
    });
  }
  const delimited = Object.fromEntries(leads.questions.filter((q) => q.kind === "multi").map((q) => [q.parts[0]!.itemOrOption, ","]));
  return { tool: "qualtrics", file: "leads.tsv", format: "tsv-utf16le", bom: true, headerRows: 1, extraRows: [texts, imports], columns, source: {}, delimited };
}

function msforms(leads: CanonicalLeads): ToolLayout {
  const columns: ToolColumn[] = meta(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"], [
    (_, i) => String(i + 1),
    (r) => when(new Date(Date.parse(iso(r)) - 6 * 60_000).toISOString(), "date"),
    (r) => when(iso(r), "date"),
    () => "anonymous",
    () => "",
    () => "",
  ]);
  for (const question of leads.questions) {
    if (question.kind === "multi") columns.push(delimitedColumn(question, question.text, (labels) => labels.map((label) => `${label};`).join("")));
    // A Likert question's statements are columns of their own, headed by the statement.
    else for (const part of question.parts) columns.push({ header: [part.sub || question.text], name: part.sub || question.text, canonical: [part.canonical], value: answer(part.canonical) });
  }
  const delimited = Object.fromEntries(leads.questions.filter((q) => q.kind === "multi").map((q) => [q.parts[0]!.itemOrOption, ";"]));
  return { tool: "msforms", file: "leads.xlsx", format: "xlsx", bom: false, headerRows: 1, extraRows: [], columns, source: {}, delimited };
}

function googleforms(leads: CanonicalLeads): ToolLayout {
  const columns: ToolColumn[] = meta(["Timestamp"], [(r) => when(iso(r), "google")]);
  for (const question of leads.questions) {
    if (question.kind === "multi") columns.push(delimitedColumn(question, question.text, (labels) => labels.join(", ")));
    else for (const part of question.parts) {
      const header = part.sub === "" ? question.text : `${question.text} [${part.sub}]`;
      columns.push({ header: [header], name: header, canonical: [part.canonical], value: answer(part.canonical) });
    }
  }
  const delimited = Object.fromEntries(leads.questions.filter((q) => q.kind === "multi").map((q) => [q.parts[0]!.itemOrOption, ", "]));
  return { tool: "googleforms", file: "leads.csv", format: "csv", bom: false, headerRows: 1, extraRows: [], columns, source: {}, delimited };
}

/** Answer codes in category order: AO01, AO02, … (LimeSurvey) or 1, 2, … (Snap). */
function scaleCodes(leads: CanonicalLeads, code: (index: number) => string): Record<string, Record<string, string>> {
  return Object.fromEntries(leads.config.questionnaire.scales.map((scale) => [scale.id, Object.fromEntries(scale.categories.map((label, i) => [code(i), label]))]));
}

function coded(leads: CanonicalLeads, codes: NonNullable<ToolLayout["codes"]>) {
  const byLabel = (table: Record<string, string>) => new Map(Object.entries(table).map(([c, label]) => [label, c]));
  const scales = new Map(Object.entries(codes.scales).map(([id, table]) => [id, byLabel(table)]));
  const serviceArea = byLabel(codes.serviceArea);
  const ethnicity = byLabel(codes.ethnicity);
  return (part: ToolQuestion["parts"][number], question: ToolQuestion): ToolColumn["value"] =>
    (record) => {
      const label = record[part.canonical] ?? "";
      if (label === "") return "";
      const table = question.kind === "service-area" ? serviceArea : question.kind === "ethnicity" ? ethnicity : scales.get(part.scale!)!;
      return table.get(label) ?? `?${label}`;
    };
}

function limesurvey(leads: CanonicalLeads): ToolLayout {
  const codes = {
    scales: scaleCodes(leads, (i) => `AO${String(i + 1).padStart(2, "0")}`),
    serviceArea: Object.fromEntries(SERVICE_AREAS.map((label, i) => [`A${i + 1}`, label])),
    ethnicity: Object.fromEntries(ETHNICITIES.map((label, i) => [`E${i + 1}`, label])),
  };
  const columns: ToolColumn[] = [
    ...meta(["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"], [
      (_, i) => String(i + 1),
      (r) => when(iso(r), "iso"),
      () => "6",
      () => "en",
      (_, i) => String(1_938_274_651 + i * 104_729),
      (r) => when(new Date(Date.parse(iso(r)) - 7 * 60_000).toISOString(), "iso"),
      (r) => when(iso(r), "iso"),
    ]),
    ...perPart(
      leads,
      (question, _part, index) => (question.parts.length > 1 ? `Q${question.number}[SQ${String(index + 1).padStart(3, "0")}]` : question.kind === "service-area" ? "SA" : `Q${question.number}`),
      (canonical) => chosen(canonical, "Y", ""),
      coded(leads, codes),
    ),
  ];
  return { tool: "limesurvey", file: "leads.csv", format: "csv-semicolon", bom: true, headerRows: 1, extraRows: [], columns, source: {}, delimited: {}, codes };
}

function jisc(leads: CanonicalLeads): ToolLayout {
  const columns: ToolColumn[] = [
    ...meta(["Response ID", "Started", "Completed"], [(_, i) => String(45_120_077 + i), (r) => when(new Date(Date.parse(iso(r)) - 12 * 60_000).toISOString(), "dmy"), (r) => when(iso(r), "dmy")]),
    ...perPart(
      leads,
      (question, part, index) => (question.parts.length > 1 ? `${question.number}.${String.fromCharCode(97 + index)}. ${part.sub}` : `${question.number}. ${question.text}`),
      (canonical, label) => chosen(canonical, label, ""),
    ),
  ];
  return { tool: "jisc", file: "leads.csv", format: "csv", bom: true, headerRows: 1, extraRows: [], columns, source: {}, delimited: {} };
}

function snap(leads: CanonicalLeads): ToolLayout {
  const codes = {
    scales: scaleCodes(leads, (i) => String(i + 1)),
    serviceArea: Object.fromEntries(SERVICE_AREAS.map((label, i) => [String(i + 1), label])),
    ethnicity: Object.fromEntries(ETHNICITIES.map((label, i) => [String(i + 1), label])),
  };
  const toCode = coded(leads, codes);
  const columns: ToolColumn[] = [
    ...meta(["RespondentID", "Completed"], [(_, i) => String(i + 1), (r) => when(iso(r), "dmy").toString().slice(0, 16)]),
    ...perPart(
      leads,
      (question, _part, index) => (question.parts.length > 1 ? `Q${question.number}_${index + 1}` : `Q${question.number}`),
      (canonical) => chosen(canonical, "1", "0"),
      // Yes/no questions exported as labels, the rest as codes; the labels keep Windows' curly apostrophe.
      (part, question) => (part.scale === "yes-no" ? (record) => (record[part.canonical] ?? "").replace("Don't know", "Don\u2019t know") : toCode(part, question)),
    ),
  ];
  return { tool: "snap", file: "leads.csv", format: "csv-windows-1252", bom: false, headerRows: 1, extraRows: [], columns, source: {}, delimited: {}, codes };
}

/** Every tool's layout of the leads export. */
export function toolLayouts(leads: CanonicalLeads): ToolLayout[] {
  return [smartsurvey, surveymonkey, qualtrics, msforms, googleforms, limesurvey, jisc, snap].map((layout) => layout(leads));
}
