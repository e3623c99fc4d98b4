/** A small cycle for ingest and compute tests: one scale, two items, a multi-select, a subgroup variable. */
export function testCycle(id = "test-cycle", overrides: Record<string, unknown> = {}) {
  return {
    id,
    title: "Test cycle",
    timezone: "Europe/London",
    schedule: { opens: "2025-01-15", closes: "2025-02-21", reminderIntervalDays: 14 },
    groups: [
      { id: "leads", label: "ASYE leads", delivered: 100 },
      { id: "nqsws", label: "NQSWs", delivered: 200 },
    ],
    questionnaire: {
      scales: [
        {
          id: "agree",
          categories: ["Strongly agree", "Agree", "Disagree", "Don't know"],
          positive: ["Strongly agree", "Agree"],
          excludedFromBase: ["Don't know"],
        },
      ],
      items: [
        {
          id: "impact",
          text: "Impact",
          scale: "agree",
          columns: { leads: "Impact", nqsws: "Q1 Impact" },
        },
        {
          id: "clarity",
          text: "Clarity",
          scale: "agree",
          columns: { leads: "Clarity", nqsws: "Q2 Clarity" },
        },
      ],
      multiSelect: [
        {
          id: "challenges",
          text: "Challenges",
          options: [
            { id: "retaining", label: "Retaining", columns: { leads: "C: Retaining" } },
            { id: "recruiting", label: "Recruiting", columns: { leads: "C: Recruiting" } },
          ],
        },
      ],
      subgroupVariables: [
        {
          id: "ethnicity",
          label: "Ethnicity",
          columns: { nqsws: "Ethnicity" },
          subgroups: [
            { id: "white", label: "White", values: ["White"] },
            { id: "minoritised", label: "Minoritised ethnic", values: ["Black", "Asian", "Mixed"] },
          ],
          unclassified: ["Prefer not to say"],
        },
      ],
    },
    ...overrides,
  };
}

/** The header row of the test cycle's leads export. */
export const LEADS_HEADER =
  "response_id,submitted_at,service_area,Impact,Clarity,C: Retaining,C: Recruiting";
