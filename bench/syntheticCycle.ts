import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { csvLine } from "../scripts/csvLine.ts";
import { seededRandom } from "../scripts/seededRandom.ts";

export const ITEMS = 40;
export const OPTIONS = 10;
const ETHNICITIES = ["White", "White", "White", "Black", "Asian", "Mixed", ""];
const LABELS = [
  "Strongly agree",
  "Agree",
  "Neither agree nor disagree",
  "Disagree",
  "Strongly disagree",
  "Don't know",
];

/** A cycle with 40 single-choice items and one multi-select question of 10 options, one group. */
export function syntheticCycle() {
  return {
    id: "bench",
    title: "Benchmark cycle",
    timezone: "Europe/London",
    schedule: { opens: "2025-01-15", closes: "2025-02-21", reminderIntervalDays: 14 },
    groups: [{ id: "nqsws", label: "NQSWs", delivered: 2_000_000 }],
    questionnaire: {
      scales: [
        {
          id: "agree",
          categories: LABELS,
          positive: LABELS.slice(0, 2),
          excludedFromBase: ["Don't know"],
        },
      ],
      items: Array.from({ length: ITEMS }, (_, i) => ({
        id: `item-${i + 1}`,
        text: `Statement ${i + 1}`,
        scale: "agree",
        columns: { nqsws: `Q${i + 1} Statement ${i + 1}` },
      })),
      subgroupVariables: [
        {
          id: "ethnicity",
          label: "Ethnicity",
          columns: { nqsws: "Ethnicity" },
          subgroups: [
            { id: "white", label: "White", values: ["White"] },
            { id: "minoritised", label: "Minoritised ethnic", values: ["Black", "Asian", "Mixed"] },
          ],
        },
      ],
      multiSelect: [
        {
          id: "challenges",
          text: "Challenges",
          options: Array.from({ length: OPTIONS }, (_, i) => ({
            id: `option-${i + 1}`,
            label: `Option ${i + 1}`,
            columns: { nqsws: `Challenge: option ${i + 1}` },
          })),
        },
      ],
    },
    comparisons: (["positive", "distribution"] as const).map((measure) => ({
      id: `by-ethnicity-${measure}`,
      kind: "subgroups",
      title: `By ethnicity (${measure})`,
      variable: "ethnicity",
      groups: ["nqsws"],
      items: Array.from({ length: ITEMS }, (_, i) => `item-${i + 1}`),
      measure,
    })),
  };
}

/** Writes (once) a synthetic export of `rows` responses and returns its path. */
export async function syntheticExport(rows: number): Promise<string> {
  const path = `bench/data/nqsws-v2-${rows}.csv`;
  if (existsSync(path)) return path;
  mkdirSync("bench/data", { recursive: true });
  const cycle = syntheticCycle();
  const out = createWriteStream(`${path}.partial`);
  const header = [
    "response_id",
    "submitted_at",
    "service_area",
    ...cycle.questionnaire.items.map((item) => item.columns.nqsws),
    ...cycle.questionnaire.multiSelect[0]!.options.map((option) => option.columns.nqsws),
    "Ethnicity",
  ];
  out.write(`${csvLine(header)}\n`);
  const random = seededRandom(rows);
  let block = "";
  for (let row = 0; row < rows; row++) {
    const cells = [
      `R${row}`,
      "2025-01-20T10:15:00Z",
      random() < 0.9 ? "Child and family only" : "Both child and family and adult services",
    ];
    for (let i = 0; i < ITEMS; i++)
      cells.push(random() < 0.05 ? "" : LABELS[Math.floor(random() * LABELS.length)]!);
    for (let i = 0; i < OPTIONS; i++) cells.push(random() < 0.4 ? "Yes" : "");
    cells.push(ETHNICITIES[Math.floor(random() * ETHNICITIES.length)]!);
    block += `${csvLine(cells)}\n`;
    if (block.length > 1 << 20) {
      if (!out.write(block)) await once(out, "drain");
      block = "";
    }
  }
  out.end(block);
  await once(out, "finish");
  renameSync(`${path}.partial`, path);
  return path;
}
