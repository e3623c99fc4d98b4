import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { DynamoReportFanOut } from "../lib/adapters/dynamoReportFanOut.ts";
import { SqsWorkQueue } from "../lib/adapters/sqsWorkQueue.ts";
import { saveCycle } from "../lib/config/cycleStore.ts";
import { parseAnyCycle } from "../lib/config/parseAnyCycle.ts";
import { evaluation360Kind } from "../lib/evaluation360/kind.ts";
import { asCycleOf } from "../lib/kinds/cycleKind.ts";
import { computeEvaluation } from "../lib/evaluation360/computeEvaluation.ts";
import type { EvaluationResponse } from "../lib/evaluation360/evaluationBatch.ts";
import { type EvaluationConfig, evaluationConfigSchema } from "../lib/evaluation360/evaluationConfig.ts";
import { type EvaluationResults, evaluationResultsSchema, organisationResultsSchema } from "../lib/evaluation360/evaluationResultsSchema.ts";
import { formatDateTime } from "../lib/time/formatDateTime.ts";
import { themeSummaries } from "../lib/evaluation360/nationalComposites.ts";
import { nationalReportHtml } from "../lib/evaluation360/nationalReport.ts";
import { nationalTables } from "../lib/evaluation360/nationalTables.ts";
import { organisationReportHtml } from "../lib/evaluation360/organisationReport.ts";
import { organisationResults } from "../lib/evaluation360/organisationResults.ts";
import { organisationScores } from "../lib/evaluation360/organisationScores.ts";
import { ragBand, toOneDecimal } from "../lib/evaluation360/ragBand.ts";
import { renderOrganisationReport } from "../lib/evaluation360/renderOrganisationReport.ts";
import { ingestUpload } from "../lib/ingest/ingestUpload.ts";
import { LocalQueue } from "../scripts/local/localQueue.ts";
import { recordingLogger, uploadRef, useLocalRuntime } from "./support/harness.ts";

/** A small 360 cycle: five organisations, two themes, three statements, a plain CSV export. */
function smallCycle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "evaluation360",
    id: "small-360",
    title: "360-degree evaluation tool 2024-25",
    source: { tool: "csv" },
    columns: { organisation: "organisation", respondentType: "respondent_type" },
    statementColumn: "Q{number}",
    themes: [
      { id: "experience", title: "The NQSW experience" },
      { id: "system", title: "The wider system" },
    ],
    statements: [
      { number: 1, theme: "experience", text: "Feedback is sought" },
      { number: 2, theme: "experience", text: "Wellbeing is prioritised" },
      { number: 3, theme: "system", text: "Moderation panel" },
    ],
    respondentTypes: [
      { id: "self-assessment", label: "Self-assessment" },
      { id: "nqsw", label: "NQSW" },
      { id: "assessor", label: "Assessor" },
      { id: "line-manager", label: "Line manager" },
    ],
    inclusion: { submittedBy: "2025-03-28" },
    organisations: ["a", "b", "c", "d", "e"].map((letter, i) => ({ id: `org-${letter}`, name: `Employer ${letter.toUpperCase()}`, region: i < 3 ? "North" : "South" })),
    ...overrides,
  };
}

const HEADER = "response_id,submitted_at,organisation,respondent_type,Q1,Q2,Q3";

/** Rows for one organisation: a self-assessment and `others` NQSWs, all rating `rating`. */
function rows(organisation: string, others: number, rating: number, prefix = organisation): string[] {
  const lines = [`${prefix}-0,2025-02-01 10:00:00,${organisation},Self-assessment,${rating},${rating},${rating}`];
  for (let i = 1; i <= others; i++) lines.push(`${prefix}-${i},2025-02-0${1 + (i % 8)} 11:00:00,${organisation},NQSW,${rating},${rating},Don't know`);
  return lines;
}

function parse(config: Record<string, unknown>): EvaluationConfig {
  return evaluationConfigSchema.parse(config);
}

describe("the RAG band of an average, judged on the value as shown", () => {
  const bands = parse(smallCycle()).rag;
  it.each([
    [1.0, "red"],
    [1.94, "red"],
    [1.95, "amber"],
    [2.0, "amber"],
    [3.94, "amber"],
    [3.95, "green"],
    [4.0, "green"],
    [5.0, "green"],
    [0, "red"],
  ])("%s is %s", (average, band) => {
    expect(ragBand(average, bands).id).toBe(band);
  });

  it("rounds halves up, including halves that floating point puts just below", () => {
    expect(toOneDecimal(3.95)).toBe(4);
    expect(toOneDecimal(1.95)).toBe(2);
    expect(toOneDecimal(0.1 + 0.2 + 3.55)).toBe(3.9);
    expect(toOneDecimal(3.949)).toBe(3.9);
  });
});

describe("the 360 cycle file", () => {
  it("names every problem with its path", () => {
    const bad = smallCycle({
      statements: [
        { number: 1, theme: "experience", text: "A" },
        { number: 1, theme: "nowhere", text: "B" },
      ],
      rag: [
        { id: "red", label: "Red", from: 1 },
        { id: "amber", label: "Amber", from: 4 },
        { id: "green", label: "Green", from: 2 },
      ],
      inclusion: { selfAssessment: "boss" },
    });
    expect(() => parseAnyCycle(JSON.stringify(bad), "360.json")).toThrow(/statements\[1\]\.number: duplicate number 1[\s\S]*statements\[1\]\.theme: unknown theme "nowhere"[\s\S]*inclusion\.selfAssessment: unknown respondent type "boss"[\s\S]*rag\[2\]\.from: must be above/);
  });

  it("is told apart from an annual-survey cycle by its kind, with documented defaults", () => {
    const cycle = parseAnyCycle(JSON.stringify(smallCycle()), "360.json");
    expect(cycle.kind).toBe("evaluation360");
    const config = asCycleOf(cycle, evaluation360Kind)!.config;
    expect(config.minimumRespondentsPerType).toBe(3);
    expect(config.inclusion.minimumOtherRespondents).toBe(3);
    expect(config.unrated).toBe("excluded");
    expect(config.rag.map((b) => b.from)).toEqual([1, 2, 4]);
  });
});

describe("inclusion and anonymity", () => {
  const config = parse(smallCycle());
  const response = (organisation: string, respondentType: string, submitted: number, ratings: number[]): EvaluationResponse => ({ organisation, respondentType, submitted, ratings: Uint8Array.from(ratings) });

  it("includes an organisation with a self-assessment and three others by the cut-off; late responses count for nothing", () => {
    const scored = organisationScores(config, [
      response("org-a", "self-assessment", 20250301, [4, 4, 4]),
      ...[1, 2, 3].map(() => response("org-a", "nqsw", 20250328, [2, 2, 2])),
      response("org-b", "self-assessment", 20250301, [4, 4, 4]),
      ...[1, 2].map(() => response("org-b", "nqsw", 20250301, [2, 2, 2])),
      response("org-b", "nqsw", 20250329, [1, 1, 1]),
      ...[1, 2, 3].map(() => response("org-c", "nqsw", 20250301, [2, 2, 2])),
    ]);
    const byId = new Map(scored.map((o) => [o.id, o]));
    expect(byId.get("org-a")).toMatchObject({ included: true, late: 0 });
    expect(byId.get("org-a")!.statements.get(1)!.score).toBe(2.5);
    expect(byId.get("org-b")).toMatchObject({ included: false, exclusion: "too-few-other-respondents", late: 1 });
    expect(byId.get("org-c")).toMatchObject({ included: false, exclusion: "no-self-assessment" });
    expect(byId.get("org-d")).toMatchObject({ included: false, respondents: {} });
  });

  /** National results for one included organisation, every statement at 3. */
  const nationalOf = (config: EvaluationConfig) =>
    evaluationResultsSchema.parse({
      schemaVersion: 1,
      kind: "evaluation360",
      cycle: { id: "small-360", title: "t" },
      rules: { nationalAverage: "", inclusion: config.inclusion, minimumRespondentsPerType: 3, minimumOrganisationsPerRegion: 5, unrated: "excluded", rag: config.rag },
      organisations: { registered: 5, included: 1, excluded: 0, excludedBecause: { noSelfAssessment: 0, tooFewOtherRespondents: 0 }, withoutData: 4, responsesCounted: 12, lateResponsesLeftOut: 0 },
      statements: config.statements.map((s) => ({ number: s.number, theme: s.theme, text: s.text, organisations: 1, nationalAverage: 3, min: 3, max: 3, rag: "amber", unrounded: { nationalAverage: 3, min: 3, max: 3 }, zeroScores: 0, previous: null, change: null })),
      themes: [],
      regions: [],
      organisationReports: [],
      provenance: { generation: 1, computedAt: "2025-04-01T00:00:00.000Z", codeVersion: "test", uploads: [] },
    });

  it("never pins a withheld rating: withheld raters who all gave 5 are joined by another type, or else the overall score is withheld too", () => {
    const self = response("org-a", "self-assessment", 20250301, [5, 5, 5]);
    const many = (type: string, count: number, rating: number) => Array.from({ length: count }, () => response("org-a", type, 20250301, [rating, rating, rating]));
    // 4.6 x 10 - self 5 - assessors 4 x 4 = 25 over 5 ratings: every NQSW and line manager gave 5.
    const joined = organisationResults(config, organisationScores(config, [self, ...many("assessor", 4, 4), ...many("nqsw", 2, 5), ...many("line-manager", 3, 5)])[0]!, nationalOf(config), undefined);
    const first = joined.statements[0]!;
    expect(first.byType.filter((t) => t.suppressed).map((t) => t.type).sort()).toEqual(["assessor", "line-manager", "nqsw"]);
    expect(first.score).toMatchObject({ value: 4.6, n: 10, suppressed: false, unrounded: null });
    expect(first.byType.every((t) => t.unrounded === null)).toBe(true);
    // No type left to join them: the overall score would give them away, so it is withheld.
    const alone = organisationResults(config, organisationScores(config, [self, ...many("nqsw", 2, 5), ...many("line-manager", 3, 5)])[0]!, nationalOf(config), undefined);
    expect(alone.statements[0]!.score).toMatchObject({ suppressed: true, value: null, n: null });
    expect(alone.themes.find((t) => t.id === "experience")!.score).toBeNull();
  });

  it("withholds a respondent type under three ratings, the next smallest type with it, and the organisation's own score when under three others rated", () => {
    const responses = [
      response("org-a", "self-assessment", 20250301, [5, 5, 5]),
      ...[1, 2, 3, 4, 5].map(() => response("org-a", "nqsw", 20250301, [3, 3, 0])),
      ...[1, 2].map(() => response("org-a", "assessor", 20250301, [1, 1, 0])),
      ...[1, 2, 3, 4].map(() => response("org-a", "line-manager", 20250301, [4, 4, 0])),
    ];
    const [organisation] = organisationScores(config, responses).filter((o) => o.id === "org-a");
    const document = organisationResultsSchema.parse(organisationResults(config, organisation!, nationalOf(config), undefined));
    const first = document.statements[0]!;
    const byType = Object.fromEntries(first.byType.map((t) => [t.type, t]));
    expect(byType["self-assessment"]).toMatchObject({ value: 5, n: 1, suppressed: false });
    expect(byType.nqsw).toMatchObject({ value: 3, n: 5, suppressed: false });
    expect(byType.assessor).toMatchObject({ value: null, n: null, suppressed: true });
    // 2 assessors alone could be worked out from the overall score; the 4 line managers are withheld with them.
    expect(byType["line-manager"]).toMatchObject({ value: null, suppressed: true });
    expect(first.score).toMatchObject({ value: toOneDecimal((5 + 15 + 2 + 16) / 12), n: 12, suppressed: false });
    // Statement 3: only the self-assessment rated it, so the organisation's own score would be its own rating: fine, but nobody else's.
    expect(document.statements[2]!.score).toMatchObject({ suppressed: true, value: null });
    expect(document.respondents.find((r) => r.type === "assessor")).toMatchObject({ count: null, suppressed: true });
    expect(JSON.stringify(document)).not.toMatch(/"unrounded":1[,}]/);
  });
});

describe("the 360 reports' wording: times, a 0.0, every –, headings kept with what follows", () => {
  const config = parse(smallCycle({ previousCycleId: "small-360-2024" }));
  type Statement = EvaluationResults["statements"][number];

  /** National results of the small cycle computed at `computedAt`, each statement's figures as `figures` gives them. */
  const national = (figures: (number: number) => Partial<Statement>, computedAt = "2026-12-03T15:20:00.000Z", unrated: "zero" | "excluded" = "excluded"): EvaluationResults => {
    const statements = config.statements.map((s) => ({ number: s.number, theme: s.theme, text: s.text, organisations: 3, nationalAverage: 3, min: 2, max: 4, rag: "amber" as const, unrounded: { nationalAverage: 3, min: 2, max: 4 }, zeroScores: 0, previous: { nationalAverage: 3, min: 2, max: 4 }, change: 0, ...figures(s.number) }));
    return evaluationResultsSchema.parse({
      schemaVersion: 1,
      kind: "evaluation360",
      cycle: { id: "small-360", title: "360-degree evaluation tool 2024-25", previousCycleId: "small-360-2024", previousCycleTitle: "360-degree evaluation tool 2023-24" },
      rules: { nationalAverage: "", inclusion: config.inclusion, minimumRespondentsPerType: 3, minimumOrganisationsPerRegion: 5, unrated, rag: config.rag },
      organisations: { registered: 5, included: 3, excluded: 0, excludedBecause: { noSelfAssessment: 0, tooFewOtherRespondents: 0 }, withoutData: 2, responsesCounted: 12, lateResponsesLeftOut: 1 },
      statements,
      themes: themeSummaries(config, statements),
      regions: [],
      organisationReports: [],
      provenance: { generation: 1, computedAt, codeVersion: "test", uploads: [{ slot: "responses", key: "k", etag: "e", checksum: "c", accepted: 12 }] },
    });
  };
  /** A report's words as a reader sees them: tags dropped, the entities escapeHtml writes decoded. */
  const words = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const reportOf = (results: EvaluationResults) => nationalReportHtml(config, results, nationalTables(config, results));
  /** org-a's personalised results: a self-assessment that left statement 2 blank and five NQSWs. */
  const organisation = (results: EvaluationResults) => {
    const responses: EvaluationResponse[] = [
      { organisation: "org-a", respondentType: "self-assessment", submitted: 20250301, ratings: Uint8Array.from([4, 0, 4]) },
      ...[1, 2, 3, 4, 5].map(() => ({ organisation: "org-a", respondentType: "nqsw", submitted: 20250301, ratings: Uint8Array.from([3, 3, 3]) })),
    ];
    return organisationResultsSchema.parse(organisationResults(config, organisationScores(config, responses)[0]!, results, undefined));
  };

  it("gives times in Europe/London with the zone named, GMT in winter and BST in summer, never UTC", () => {
    expect(formatDateTime("2026-12-03T15:20:00Z")).toBe("3 December 2026 at 15:20 GMT");
    expect(formatDateTime("2025-07-01T15:20:00Z")).toBe("1 July 2025 at 16:20 BST");
    // The clocks go forward at 01:00 GMT on the last Sunday of March.
    expect(formatDateTime("2025-03-30T00:59:00Z")).toBe("30 March 2025 at 00:59 GMT");
    expect(formatDateTime("2025-03-30T01:00:00Z")).toBe("30 March 2025 at 02:00 BST");
    const winter = reportOf(national(() => ({})));
    expect(winter).toContain("Computed 3 December 2026 at 15:20 GMT from 1 export.");
    expect(winter).toContain("1 response arrived after the cut-off and is not counted.");
    expect(winter).not.toMatch(/UTC|export\(s\)/);
    const summer = organisationReportHtml(config, organisation(national(() => ({}), "2025-07-01T15:20:00.000Z")));
    expect(summer).toContain("computed 1 July 2025 at 16:20 BST");
  });

  it("says beneath a table that its 0.0 is not a rating: an organisation nobody rated, last year or (unrated: zero) this year", () => {
    const lastYear = reportOf(national((n) => (n === 1 ? { previous: { nationalAverage: 3, min: 0, max: 4 } } : {})));
    expect(words(lastYear)).toContain("The 0.0 (statement 1's 2023-24 minimum) is not a rating: ratings run from 1 to 5.");
    expect(words(lastYear)).toContain("the tool then scored such an organisation 0");
    // Beneath the table that shows it: in theme 1's section, before theme 2's heading.
    expect(lastYear.indexOf("zero-note")).toBeLessThan(lastYear.indexOf("Evaluation criteria theme 2"));
    expect(lastYear.indexOf("zero-note")).toBeGreaterThan(lastYear.indexOf("Table 1:"));
    const thisYear = reportOf(national((n) => (n === 3 ? { min: 0, zeroScores: 1 } : {}), undefined, "zero"));
    expect(words(thisYear)).toContain("The 0.0 (statement 3's 2024-25 minimum) is not a rating");
    expect(words(thisYear)).toContain('as the tool did then (unrated: "zero")');
    expect(thisYear.indexOf("zero-note")).toBeGreaterThan(thisYear.indexOf("Evaluation criteria theme 2"));
    expect(reportOf(national(() => ({})))).not.toContain("zero-note");
    // A personalised report shows a 0.0 only as a national figure, and notes it too.
    expect(words(organisationReportHtml(config, organisation(national((n) => (n === 2 ? { nationalAverage: 0 } : {})))))).toContain("The 0.0 (statement 2's national average) is not a rating");
  });

  it("explains every – of a personalised report: no score last year, and no rating from a type of respondent", () => {
    const html = words(organisationReportHtml(config, organisation(national(() => ({})))));
    expect(html).toContain("Your change since 2023-24 is not shown (–): there are no scores of yours from 2023-24 to compare with");
    // The self-assessment left statement 2 blank, and no assessor or line manager responded: a
    // – in both tables by type, and the note beneath each says why.
    expect(html).toContain('A – means no rating from that type of respondent: none responded, or those who did left the statement blank or answered "don\'t know".');
    expect(html.match(/A – means no rating/g)).toHaveLength(2);
    expect(html).not.toContain("A – under Change");
  });

  it("groups a table's columns by year as published, and leaves out last year's when it has no figures", () => {
    const both = reportOf(national(() => ({})));
    expect(both.match(/<th scope="colgroup" colspan="\d" class="year"><span class="nowrap">(\d{4}-\d{2})<\/span><\/th>/g)?.map((th) => th.replace(/<[^>]+>/g, ""))).toEqual(["2024-25", "2023-24", "2024-25", "2023-24"]);
    expect(both).toContain("Change in average");
    const first = reportOf(national(() => ({ previous: null, change: null })));
    expect(first).not.toMatch(/2023-24|Change in average|\[x\]<\/td>/);
    expect(first).toContain('<table class="statements one-year">');
  });

  it("keeps every heading in one block with what follows it, which print never splits", () => {
    const headings = (html: string) => html.match(/<h2>/g)?.length ?? 0;
    const kept = (html: string) => html.match(/class="keep"[^>]*>\s*<h2>/g)?.length ?? 0;
    const nationalHtml = reportOf(national(() => ({})));
    const personal = organisationReportHtml(config, organisation(national(() => ({}))));
    expect(headings(nationalHtml)).toBe(2);
    expect(kept(nationalHtml)).toBe(headings(nationalHtml));
    expect(headings(personal)).toBe(5);
    expect(kept(personal)).toBe(headings(personal));
    expect(personal).toMatch(/@media print \{[^}]*\.keep, \.table-wrap \{ break-inside: avoid; \}/);
  });
});

describe("a 360 cycle through the pipeline", () => {
  const runtime = useLocalRuntime({ routeEvents: false });
  const log = recordingLogger();

  /** Uploads an export to a place of the cycle, as personal data (under personal/) unless `prefix` says otherwise. */
  async function upload(slot: string, lines: string[], sequencer: string, prefix = "personal/") {
    const key = `${prefix}uploads/small-360/${slot}/export.csv`;
    await runtime().store.put(key, `${lines.join("\n")}\n`, "text/csv");
    const { etag } = await runtime().store.getStream(key);
    const ref = uploadRef(key, etag, { cycleId: "small-360", group: slot, uploadedAt: `2025-04-01T10:00:0${sequencer}.000Z`, sequencer: `0000${sequencer}` });
    return ingestUpload(ref, { store: runtime().store, ledger: runtime().ledger, log });
  }

  function deps(sent: string[]) {
    return {
      store: runtime().store,
      ledger: runtime().ledger,
      fanOut: new DynamoReportFanOut(runtime().stack.clients.dynamodb, runtime().stack.ledgerTable),
      reportQueue: { sendAll: async (messages: readonly string[]) => void sent.push(...messages) },
      log,
      reportsAsPdf: false,
    };
  }

  it("refuses an export without the organisation column, an upload to a place the cycle does not have, and one outside personal/", async () => {
    await saveCycle(runtime().store, JSON.stringify(smallCycle()), "small.json");
    const missing = await upload("responses", ["response_id,submitted_at,respondent_type,Q1,Q2,Q3", "r1,2025-02-01 10:00:00,NQSW,4,4,4"], "1");
    expect(missing.status).toBe("rejected");
    expect(missing.record.reason).toMatch(/missing required column\(s\) "organisation"/);
    const nowhere = await upload("leads", [HEADER, ...rows("org-a", 3, 4)], "2");
    expect(nowhere.record.reason).toMatch(/"leads" is not a place for uploads of 360 cycle small-360: upload every organisation's responses to personal\/uploads\/small-360\/responses\//);
    // The raters are named in an export: outside personal/ it would be neither encrypted nor expired.
    const outside = await upload("responses", [HEADER, ...rows("org-a", 3, 4)], "0", "");
    expect(outside.status).toBe("rejected");
    expect(outside.record.reason).toMatch(/^360 exports are personal data \(they name the raters\): upload every organisation's responses to personal\/uploads\/small-360\/responses\//);
  });

  it("lets an organisation's own export replace its rows in the export of every organisation", async () => {
    await saveCycle(runtime().store, JSON.stringify(smallCycle()), "small.json");
    const all = await upload("responses", [HEADER, ...rows("org-a", 3, 2), ...rows("Employer B", 3, 4), ...rows("org-c", 3, 3)], "3");
    expect(all.status).toBe("accepted");
    // org-a's own corrected export: no organisation column needed, and a row for another organisation is refused.
    const own = await upload("org-a", ["response_id,submitted_at,respondent_type,Q1,Q2,Q3", "x0,2025-02-01 10:00:00,Self-assessment,5,5,5", "x1,2025-02-01 10:00:00,NQSW,5,5,5", "x2,2025-02-01 10:00:00,NQSW,5,5,5", "x3,2025-02-01 10:00:00,Assessor,5,5,5"], "4");
    expect(own.status).toBe("accepted");
    const sent: string[] = [];
    const { results } = await computeEvaluation(evaluationConfigSchema.parse(smallCycle()), deps(sent));
    expect(results.organisations).toMatchObject({ included: 3, withoutData: 2 });
    // Statement 1: org-a 5 (its own export), B 4, C 3 → national 4.0, min 3.0, max 5.0.
    expect(results.statements[0]).toMatchObject({ nationalAverage: 4, min: 3, max: 5, rag: "green" });
    expect(sent.map((m) => JSON.parse(m).organisation).sort()).toEqual(["org-a", "org-b", "org-c"]);
  });

  it("renders each included organisation's report once and publishes when the last is done, however often messages arrive", async () => {
    await saveCycle(runtime().store, JSON.stringify(smallCycle()), "small.json");
    const sent: string[] = [];
    const before = await runtime().ledger.published("small-360");
    const { folder } = await computeEvaluation(evaluationConfigSchema.parse(smallCycle()), deps(sent));
    expect(await runtime().ledger.published("small-360")).toEqual(before); // nothing published until the reports are done
    const outcomes: string[] = [];
    const failedOnce = new Set<string>();
    const config = evaluationConfigSchema.parse(smallCycle());
    const fanOut = new DynamoReportFanOut(runtime().stack.clients.dynamodb, runtime().stack.ledgerTable);
    // Each message is sent twice (SQS is at least once), two are handled at once, and every
    // first delivery "times out" after doing its work: the reports are still rendered once each.
    const queue = new LocalQueue(
      async (event) => {
        const message = event.Records[0]!;
        outcomes.push(await renderOrganisationReport(message.body, config, { store: runtime().store, ledger: runtime().ledger, fanOut, log }));
        if (!failedOnce.has(message.messageId)) {
          failedOnce.add(message.messageId);
          throw new Error("Task timed out after the work was done");
        }
        return { batchItemFailures: [] };
      },
      { functionTimeoutMs: 5_000, visibilityTimeoutMs: 50, maxReceives: 5, maxConcurrency: 2 },
    );
    for (const message of [...sent, ...sent]) queue.send(message);
    await queue.idle();
    expect(queue.deadLetters).toEqual([]);
    expect(queue.deliveries.length).toBeGreaterThanOrEqual(12);
    expect(outcomes.filter((o) => o === "rendered")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "already-done").length).toBeGreaterThanOrEqual(3);
    expect(await fanOut.status("small-360", folder)).toMatchObject({ expected: 3, done: 3, published: true });
    const publication = (await runtime().ledger.published("small-360"))!;
    expect(publication.folder).toBe(folder);
    expect(publication.files!.filter((f) => f.endsWith(".html") && f.startsWith("organisations/")).sort()).toEqual(["organisations/org-a.html", "organisations/org-b.html", "organisations/org-c.html"]);
    expect((await runtime().store.list(`${folder}/organisations/`)).filter((k) => k.endsWith(".html"))).toHaveLength(3);
    expect(await runtime().store.getText("results/small-360/organisations/org-b.html")).toContain("Employer B");
  });

  it("reports a message it cannot handle as a batch item failure (the function, as SQS invokes it)", async () => {
    const { handler } = await import("../functions/organisation-reports.ts");
    const response = await handler({ Records: [{ messageId: "m1", body: JSON.stringify({ cycleId: "small-360", folder: "results/small-360/versions/none", organisation: "org-a" }) }] }, { getRemainingTimeInMillis: () => 1000 } as unknown as Context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
  });

  it("stores a rejection report that quotes no cell: a rater's name and email in bad rows are not in it", async () => {
    await saveCycle(runtime().store, JSON.stringify(smallCycle()), "small.json");
    const bad = ["jo.bloggs@example.org,2025-02-01 10:00:00,org-a,Jo Bloggs,4,4,4", "r-9,2025-02-01 10:00:00,Sam Smith sam@example.net,NQSW,4,4,4", "jo.bloggs@example.org,2025-02-01 10:00:00,org-a,NQSW,4,Jo Bloggs,4"];
    const outcome = await upload("responses", [HEADER, ...rows("org-a", 20, 4), ...bad], "5");
    expect(outcome.status).toBe("accepted");
    const stored = (await runtime().store.getText(outcome.record.rejectionReportKey!))!;
    const report = JSON.parse(stored);
    // Each problem still names its row, its column and what was expected.
    expect(report.problems.map((p: { row: number; column: string }) => [p.row, p.column])).toEqual([
      [23, "respondent_type"],
      [24, "organisation"],
      [25, "Q2"],
    ]);
    expect(report.problems.every((p: { value: string; expected: string }) => p.value === "(not quoted: personal data)" && p.expected.length > 0)).toBe(true);
    expect(stored).not.toMatch(/Bloggs|Smith|@example/);
  });
});

describe("the SQS work queue", () => {
  it("sends ten messages a call and sends again the entries SQS reports as failed", async () => {
    const calls: string[][] = [];
    let failNext = true;
    const client = {
      send: async (command: SendMessageBatchCommand) => {
        const ids = command.input.Entries!.map((e) => e.Id!);
        calls.push(ids);
        const failed = failNext ? ids.slice(0, 2) : [];
        failNext = false;
        return { Successful: [], Failed: failed.map((Id) => ({ Id, Code: "ThrottlingException", SenderFault: false })) };
      },
    } as unknown as SQSClient;
    await new SqsWorkQueue(client, "https://sqs.eu-west-2.amazonaws.com/1/q").sendAll(Array.from({ length: 23 }, (_, i) => `m${i}`));
    expect(calls.map((c) => c.length)).toEqual([10, 2, 10, 3]);
    expect(calls[1]).toEqual(["0", "1"]);
  });

  it("fails, naming what is left, when SQS keeps refusing", async () => {
    const client = { send: async (command: SendMessageBatchCommand) => ({ Failed: command.input.Entries!.map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })) }) } as unknown as SQSClient;
    await expect(new SqsWorkQueue(client, "q").sendAll(["a", "b"])).rejects.toThrow(/2 message\(s\) could not be sent to q after 5 rounds/);
  });
});
