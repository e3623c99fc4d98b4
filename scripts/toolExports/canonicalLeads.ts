import { readFileSync } from "node:fs";
import Papa from "papaparse";
import type { CycleConfig } from "../../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../../lib/survey/config/parseCycleConfig.ts";

/** One question of the leads questionnaire as a survey tool lays it out. */
export interface ToolQuestion {
  /** Question number, for tools that number their columns (Qualtrics, LimeSurvey, Snap, JISC). */
  number: number;
  text: string;
  kind: "service-area" | "single" | "matrix" | "multi" | "ethnicity";
  /** The canonical export's columns this question covers, with their sub-question or option text. */
  parts: { canonical: string; sub: string; scale?: string; itemOrOption: string }[];
}

/** The canonical example: the 2025 cycle and its leads export, read as records. */
export interface CanonicalLeads {
  config: CycleConfig;
  cycleJson: Record<string, unknown>;
  header: string[];
  records: Record<string, string>[];
  questions: ToolQuestion[];
}

const MATRIX_TEXT: Record<string, string> = {
  "5": "How useful have you found the following support from Skills for Care?",
  "8": "How far do you agree that you have had sufficient opportunity to do the following?",
  "13": "How far do you agree that the following positively contribute to the overall effectiveness of your ASYE programme?",
  "17": "How far do you agree with the following statements about equity, equality, diversity and inclusion?",
  "14": "Which workforce challenges do you expect over the next one to two years?",
  "18": "How far do you agree that the ASYE has a positive impact on the following?",
};

/** Reads examples/asye-cf-2025 and groups the leads columns into questions as a tool shows them. */
export function canonicalLeads(): CanonicalLeads {
  const path = "examples/asye-cf-2025/cycle.json";
  const text = readFileSync(path, "utf8");
  const config = parseCycleConfig(text, path);
  const parsed = Papa.parse<string[]>(readFileSync("examples/asye-cf-2025/exports/leads.csv", "utf8").replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const records = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ""])));
  const q = config.questionnaire;
  const questions: ToolQuestion[] = [
    { number: 1, text: "Which services does your ASYE programme cover?", kind: "service-area", parts: [{ canonical: "service_area", sub: "", itemOrOption: "service_area" }] },
  ];
  const byNumber = new Map<string, ToolQuestion>();
  for (const name of header!.slice(3)) {
    const item = q.items.find((i) => i.columns.leads === name);
    const option = q.multiSelect.flatMap((m) => m.options).find((o) => o.columns.leads === name);
    const variable = q.subgroupVariables.find((v) => v.columns.leads === name);
    if (variable) {
      questions.push({ number: 0, text: "What is your ethnic group?", kind: "ethnicity", parts: [{ canonical: name, sub: "", itemOrOption: variable.id }] });
      continue;
    }
    const match = /^Q(\d+)(?:\.\d+)? ([^:]*)(?:: (.*))?$/.exec(name);
    if (!match) throw new Error(`unexpected canonical column ${name}`);
    const [, number, , sub] = match;
    const matrix = MATRIX_TEXT[number!];
    if (matrix === undefined) {
      questions.push({ number: 0, text: item!.text, kind: "single", parts: [{ canonical: name, sub: "", scale: item!.scale, itemOrOption: item!.id }] });
      continue;
    }
    let question = byNumber.get(number!);
    if (!question) {
      question = { number: 0, text: matrix, kind: option ? "multi" : "matrix", parts: [] };
      byNumber.set(number!, question);
      questions.push(question);
    }
    const label = option ? option.label : sub!.charAt(0).toUpperCase() + sub!.slice(1);
    question.parts.push({ canonical: name, sub: label, ...(item ? { scale: item.scale } : {}), itemOrOption: item?.id ?? option!.id });
  }
  questions.forEach((question, index) => {
    question.number = index + 1;
  });
  return { config, cycleJson: JSON.parse(text) as Record<string, unknown>, header: header!, records, questions };
}
