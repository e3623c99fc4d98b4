import { join } from "node:path";
import { FileRejectedError } from "../errors.ts";
import type { CycleKind, ResultsSection } from "../kinds/cycleKind.ts";
import { storageKeys } from "../storageKeys.ts";
import { computeResults } from "./compute/computeResults.ts";
import { responsesOverDelivered } from "./compute/responseRates.ts";
import type { CycleConfig } from "./config/cycleConfig.ts";
import { cycleState } from "./config/cycleState.ts";
import { parseCycleConfig } from "./config/parseCycleConfig.ts";
import { checkExport } from "./ingest/checkExport.ts";
import { describeExportCheck } from "./ingest/describeExportCheck.ts";
import { encodeSurveyUpload } from "./ingest/encodeSurveyUpload.ts";
import { type ResultsDocument, resultsDocumentSchema } from "./results/resultsSchema.ts";
import { summarizeResults } from "./results/summarizeResults.ts";

/**
 * The annual survey of ASYE leads, assessors and NQSWs: one export per group, tallied into
 * response rates, agreement, rankings and comparisons, with the report, tables and figures.
 * A cycle file that names no kind is a survey cycle.
 */
export const surveyKind: CycleKind<CycleConfig, ResultsDocument> = {
  name: "survey",
  label: "annual-survey cycle",
  parseCycleFile: (_json, text, source) => parseCycleConfig(text, source),
  describeCycle(config, file) {
    const q = config.questionnaire;
    return [
      `${file}: valid cycle ${config.id} with ${config.groups.length} groups, ${q.items.length} items, ${q.itemSets.length} item sets, ${q.multiSelect.length} multi-select questions`,
      ...config.groups.map((group) => `  ${group.id}: exports from ${group.source.tool}`),
    ];
  },

  uploadPlaces: (config) => ({ noun: "groups", names: config.groups.map((g) => g.id) }),
  isPersonalPlace: () => false,
  checkUploadPlace(config, upload) {
    const groups = config.groups.map((g) => g.id);
    if (!groups.includes(upload.group)) throw new FileRejectedError(upload.key, `unknown group "${upload.group}" for cycle ${config.id} (groups: ${groups.join(", ")})`);
  },
  encodeUpload: encodeSurveyUpload,
  async checkExport(config, place, body, file, { sampleRows }) {
    const result = await checkExport(body, config, place, file, sampleRows);
    // More responses than the cycle file's delivered count: Table 6 would mark the rate not available.
    const responseRateWarning = responsesOverDelivered(config, place, result.counts.accepted);
    return {
      result: responseRateWarning === undefined ? result : { ...result, responseRateWarning },
      lines: [...describeExportCheck(result), ...(responseRateWarning === undefined ? [] : [`  warning: ${responseRateWarning}`])],
      ...(result.refused === undefined ? {} : { refused: result.refused }),
    };
  },

  async compute(config, deps) {
    const { key, document, published } = await computeResults(config.id, deps);
    return { key, status: document.status, published, computedAt: document.provenance.computedAt, results: document };
  },
  computesAfterReingest: true,

  resultsSchema: resultsDocumentSchema,
  jsonSchemas: [{ file: "schemas/results.schema.json", title: "ASYE survey results document", schema: resultsDocumentSchema }],
  summarize: summarizeResults,
  describeOutputs(cycleId, folder, written) {
    const csvs = written.filter((path) => path.endsWith(".csv"));
    const tablesCsv = csvs.filter((path) => path.includes(`${join(folder, "tables")}/`));
    const figures = written.filter((path) => path.includes(`${join(folder, "figures")}/`));
    return [
      `\nResults JSON: ${join(folder, "results.json")} (also in S3 at ${storageKeys.results(cycleId)})`,
      `Report:       ${join(folder, "report.html")} and ${join(folder, "report.pdf")}`,
      `Workbook:     ${join(folder, "tables.xlsx")} (cover, contents, notes, one table per sheet)`,
      `Tables (CSV): ${tablesCsv.length} files in ${join(folder, "tables")}/, e.g. ${tablesCsv[0]}`,
      `Figures:      ${figures.length / (figures.some((f) => f.endsWith(".png")) ? 3 : 2)} figures as SVG, PNG and CSV in ${join(folder, "figures")}/, e.g. ${figures.find((f) => f.endsWith(".png")) ?? figures[0]}`,
    ];
  },

  listEntry: (config, results, now) => ({
    id: config.id,
    title: config.title,
    opens: config.schedule.opens,
    closes: config.schedule.closes,
    state: cycleState(config, now),
    kind: "survey",
    computed: results ? { at: results.provenance.computedAt, status: results.status } : null,
  }),
  sections: [section("response-rates", "responseRates"), section("items", "items"), section("item-sets", "itemSets"), section("rankings", "rankings"), section("comparisons", "comparisons")],
};

/** A part of the results served alone (`GET /cycles/{id}/results/{name}`), with the cycle and its status. */
function section(name: string, field: "responseRates" | "items" | "itemSets" | "rankings" | "comparisons"): ResultsSection<ResultsDocument> {
  return { name, select: (document) => ({ cycle: document.cycle, status: document.status, [name]: document[field] }) };
}
