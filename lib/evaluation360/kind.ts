import { join } from "node:path";
import { parseCycleJson } from "../config/parseCycleJson.ts";
import { FileRejectedError } from "../errors.ts";
import { checkEncodedExport, describeOtherCheck } from "../ingest/exportCheck.ts";
import { StreamedBatch } from "../ingest/streamedBatch.ts";
import type { CycleKind } from "../kinds/cycleKind.ts";
import { PERSONAL_PREFIX, storageKeys } from "../storageKeys.ts";
import { computeEvaluation } from "./computeEvaluation.ts";
import { ALL_ORGANISATIONS_SLOT } from "./allOrganisationsSlot.ts";
import { encodeEvaluationExport } from "./encodeEvaluationExport.ts";
import { type EvaluationConfig, evaluationConfigSchema } from "./evaluationConfig.ts";
import { type EvaluationResults, evaluationResultsSchema, organisationResultsSchema } from "./evaluationResultsSchema.ts";
import { renderOrganisationReport } from "./renderOrganisationReport.ts";
import { summarizeEvaluation } from "./summarizeEvaluation.ts";

/**
 * The 360-degree evaluation tool: one export of every organisation's responses (or one per
 * organisation), scored per organisation and nationally, with a personalised report for each
 * organisation rendered through a queue.
 */
export const evaluation360Kind: CycleKind<EvaluationConfig, EvaluationResults> = {
  name: "evaluation360",
  label: "360 cycle",
  parseCycleFile: (json, _text, source) => parseCycleJson(evaluationConfigSchema, json, source),
  describeCycle: (c, file) => [
    `${file}: valid 360 cycle ${c.id} with ${c.statements.length} statements in ${c.themes.length} themes, ${c.respondentTypes.length} respondent types and ${c.organisations.length} registered organisations; exports from ${c.source.tool}`,
  ],

  uploadPlaces: (config) => ({ noun: "360 uploads go to", names: [ALL_ORGANISATIONS_SLOT, ...config.organisations.map((o) => o.id)] }),
  // An export names its raters (name, email, IP address) beside their ratings: personal data,
  // kept under personal/ (encrypted, and expired), and never quoted in a rejection report.
  isPersonalPlace: () => true,
  checkUploadPlace(config, upload) {
    const where = `upload every organisation's responses to ${PERSONAL_PREFIX}uploads/${config.id}/${ALL_ORGANISATIONS_SLOT}/, or one organisation's to ${PERSONAL_PREFIX}uploads/${config.id}/{organisation id}/`;
    if (!upload.key.startsWith(PERSONAL_PREFIX)) {
      throw new FileRejectedError(upload.key, `360 exports are personal data (they name the raters): ${where} (encrypted, and expired)`);
    }
    if (upload.group !== ALL_ORGANISATIONS_SLOT && !config.organisations.some((o) => o.id === upload.group)) {
      throw new FileRejectedError(upload.key, `"${upload.group}" is not a place for uploads of 360 cycle ${config.id}: ${where}`);
    }
  },
  async encodeUpload(config, upload, body, deps) {
    const batch = new StreamedBatch(deps.store, storageKeys.normalized(upload.cycleId, upload.group, upload.etag));
    const encoded = await batch.encoding(() => encodeEvaluationExport(body, { config, slot: upload.group, file: upload.key, onWriter: batch.onWriter, onProgress: deps.onProgress }));
    return batch.encodingOf(encoded);
  },
  async checkExport(config, place, body, file) {
    const encoded = await encodeEvaluationExport(body, { config, slot: place, file, onWriter: (writer) => writer.stream.resume() });
    const accepted = encoded.writer.rows;
    encoded.writer.end();
    const result = checkEncodedExport({ ...encoded, accepted }, { file, place, tool: config.source.tool, minimumAcceptedShare: config.minimumAcceptedShare });
    return { result, lines: describeOtherCheck(result), ...(result.refused === undefined ? {} : { refused: result.refused }) };
  },

  async compute(config, deps) {
    if (!deps.fanOut || !deps.reportQueue) throw new Error(`a 360 compute (${config.id}) needs the report fan-out and its queue`);
    const printPdf = deps.printPdf;
    const { results, folder, organisations } = await computeEvaluation(config, { ...deps, fanOut: deps.fanOut, reportQueue: deps.reportQueue, reportsAsPdf: printPdf !== undefined, ...(printPdf ? { printPdf } : {}) });
    return { key: `${folder}/results.json`, status: `${organisations} personalised reports queued`, published: organisations === 0, computedAt: results.provenance.computedAt, results };
  },
  // A 360 compute fans out to a queue the results API has no access to: the receipts trigger it.
  computesAfterReingest: false,
  renderQueuedReport: (body, config, deps) => renderOrganisationReport(body, config, deps),

  resultsSchema: evaluationResultsSchema,
  jsonSchemas: [
    { file: "schemas/evaluation360-results.schema.json", title: "ASYE 360-degree evaluation: national results", schema: evaluationResultsSchema },
    { file: "schemas/evaluation360-organisation.schema.json", title: "ASYE 360-degree evaluation: one organisation's results", schema: organisationResultsSchema },
  ],
  summarize: summarizeEvaluation,
  describeOutputs(_cycleId, folder, written) {
    const reports = written.filter((path) => path.includes(`${join(folder, "organisations")}/`));
    return [
      `\n360 results JSON: ${join(folder, "results.json")}; national report ${join(folder, "report.html")}; tables in ${join(folder, "tables")}/`,
      `Personalised:     ${reports.filter((p) => p.endsWith(".pdf")).length} PDF and ${reports.filter((p) => p.endsWith(".html")).length} HTML reports in ${join(folder, "organisations")}/, e.g. ${reports.find((p) => p.endsWith(".pdf")) ?? reports[0]}`,
    ];
  },

  listEntry: (config, results) => ({
    id: config.id,
    title: config.title,
    kind: "evaluation360",
    computed: results ? { at: results.provenance.computedAt, organisations: results.organisations.included } : null,
  }),
};
