import { join } from "node:path";
import { parseCycleJson } from "../config/parseCycleJson.ts";
import { FileRejectedError } from "../errors.ts";
import { checkEncodedExport, describeOtherCheck } from "../ingest/exportCheck.ts";
import type { CycleKind } from "../kinds/cycleKind.ts";
import { PERSONAL_PREFIX, storageKeys } from "../storageKeys.ts";
import { computeOutcomes } from "./computeOutcomes.ts";
import { LEGACY_AGGREGATES_SLOT } from "./encodeLegacyAggregates.ts";
import { encodeOutcomesExport, OUTCOME_RECORDS_SLOT } from "./encodeOutcomesExport.ts";
import { encodeOutcomesUpload } from "./encodeOutcomesUpload.ts";
import { type OutcomesConfig, outcomesConfigSchema } from "./outcomesConfig.ts";
import { type OutcomesResults, outcomesResultsSchema } from "./outcomesResultsSchema.ts";
import { summarizeOutcomes } from "./summarizeOutcomes.ts";

/**
 * The registration platform's outcome records: registrations, completion outcomes and the
 * logistic regression. Records are personal data (uploaded under `personal/`, expired after the
 * retention); their counts, and earlier years' counts, are not.
 */
export const outcomesKind: CycleKind<OutcomesConfig, OutcomesResults> = {
  name: "outcomes",
  label: "outcomes cycle",
  parseCycleFile: (json, _text, source) => parseCycleJson(outcomesConfigSchema, json, source),
  describeCycle: (c, file) => [
    `${file}: valid outcomes cycle ${c.id}: cohorts ${c.cohorts.join(", ")}, ${c.variables.length} characteristics, regression on ${c.predictors.join(", ")}; records expire after ${c.retentionYears} years`,
  ],

  uploadPlaces: () => ({ noun: "outcome uploads go to", names: [OUTCOME_RECORDS_SLOT] }),
  isPersonalPlace: (_config, place) => place === OUTCOME_RECORDS_SLOT,
  checkUploadPlace(config, upload) {
    // Earlier years' counts are not personal data: they go under uploads/ like any export.
    if (upload.group === LEGACY_AGGREGATES_SLOT && !upload.key.startsWith(PERSONAL_PREFIX)) return;
    if (upload.group !== OUTCOME_RECORDS_SLOT || !upload.key.startsWith(PERSONAL_PREFIX)) {
      throw new FileRejectedError(upload.key, `outcome records are personal data: upload them to ${PERSONAL_PREFIX}uploads/${config.id}/${OUTCOME_RECORDS_SLOT}/ (encrypted, and expired after ${config.retentionYears} years); earlier years' counts go to uploads/${config.id}/${LEGACY_AGGREGATES_SLOT}/`);
    }
  },
  encodeUpload: encodeOutcomesUpload,
  async checkExport(config, place, body, file) {
    const encoded = await encodeOutcomesExport(body, config, place, file);
    const result = checkEncodedExport({ ...encoded, accepted: encoded.batch.records.length }, { file, place, tool: config.source.tool, minimumAcceptedShare: config.minimumAcceptedShare });
    return { result, lines: describeOtherCheck(result), ...(result.refused === undefined ? {} : { refused: result.refused }) };
  },

  async compute(config, deps) {
    const { results, published } = await computeOutcomes(config, deps);
    return { key: storageKeys.results(config.id), status: `${results.analysis?.completeCases ?? 0} complete cases`, published, computedAt: results.provenance.computedAt, results };
  },
  // An outcomes compute reads personal data, which the results API has no access to: the receipts trigger it.
  computesAfterReingest: false,

  resultsSchema: outcomesResultsSchema,
  jsonSchemas: [{ file: "schemas/outcomes-results.schema.json", title: "ASYE registrations and outcomes: results", schema: outcomesResultsSchema }],
  summarize: summarizeOutcomes,
  describeOutputs: (_cycleId, folder, written) => [
    `\nOutcomes: ${join(folder, "results.json")}, ${join(folder, "report.html")} and .pdf, ${join(folder, "tables.xlsx")}, tables in ${join(folder, "tables")}/`,
    `  Figures: ${written.filter((f) => /figures\/figure-\d+\.svg$/.test(f)).length} as SVG, ${written.some((f) => f.endsWith(".png")) ? "PNG and " : ""}CSV in ${join(folder, "figures")}/ (Appendix 1's Figures 1-2, Appendix 2's 1-6, then ours)`,
  ],

  listEntry: (config, results) => ({
    id: config.id,
    title: config.title,
    kind: "outcomes",
    computed: results ? { at: results.provenance.computedAt, completeCases: results.analysis?.completeCases ?? 0 } : null,
  }),
};
