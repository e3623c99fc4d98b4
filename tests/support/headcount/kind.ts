import { z } from "zod";
import { parseCycleJson } from "../../../lib/config/parseCycleJson.ts";
import { FileRejectedError } from "../../../lib/errors.ts";
import { readCsvRecords } from "../../../lib/csv/readCsvRecords.ts";
import { checkEncodedExport, describeOtherCheck } from "../../../lib/ingest/exportCheck.ts";
import { RejectionCollector } from "../../../lib/ingest/rejectionReport.ts";
import type { CycleKind, EncodeDeps } from "../../../lib/kinds/cycleKind.ts";
import { publishResults } from "../../../lib/publication/publishResults.ts";
import { storageKeys } from "../../../lib/storageKeys.ts";

/**
 * A fourth kind of cycle, as small as a kind can be, kept outside lib/ to prove the seam: a
 * head count of people per team, uploaded as `team,people` CSV to the place `counts`, summed per
 * team and published with a CSV table. It is one folder and, registered, runs through the same
 * ingest, compute, publication and API as the others.
 */
const headcountConfigSchema = z.strictObject({
  kind: z.literal("headcount"),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(64),
  title: z.string().min(1),
  minimumAcceptedShare: z.number().gt(0).max(1).default(0.5),
});
type HeadcountConfig = z.infer<typeof headcountConfigSchema>;

const headcountResultsSchema = z.object({
  kind: z.literal("headcount"),
  cycle: z.object({ id: z.string(), title: z.string() }),
  teams: z.array(z.object({ team: z.string(), people: z.number().int() })),
  total: z.number().int(),
  provenance: z.object({ generation: z.number(), computedAt: z.string(), uploads: z.array(z.string()) }),
});
type HeadcountResults = z.infer<typeof headcountResultsSchema>;

const batchSchema = z.array(z.object({ team: z.string(), people: z.number().int() }));

/** Reads `team,people` rows: a row whose people is not a whole number is rejected, naming row, column and value. */
async function readCounts(body: AsyncIterable<Uint8Array>, file: string): Promise<{ rows: { team: string; people: number }[]; read: number; rejections: RejectionCollector; sha256: string; bytes: number }> {
  const rows: { team: string; people: number }[] = [];
  const rejections = new RejectionCollector();
  let read = 0;
  let header: string[] | undefined;
  const summary = await readCsvRecords(body, file, (records, numbers) => {
    records.forEach((record, i) => {
      if (header === undefined) {
        header = record;
        if (record.join(",") !== "team,people") throw new FileRejectedError(file, 'a head count has the header "team,people"');
        return;
      }
      read++;
      const people = Number(record[1]);
      if (Number.isInteger(people) && people >= 0) rows.push({ team: record[0] ?? "", people });
      else rejections.reject([{ row: numbers[i]!, column: "people", value: record[1] ?? "", expected: "a whole number" }]);
    });
    return undefined;
  });
  return { rows, read, rejections, sha256: summary.sha256, bytes: summary.bytes };
}

async function encodeCounts(config: HeadcountConfig, upload: { key: string; cycleId: string; group: string; etag: string }, body: AsyncIterable<Uint8Array>, deps: EncodeDeps) {
  const counts = await readCounts(body, upload.key);
  const normalizedKey = storageKeys.normalized(upload.cycleId, upload.group, upload.etag);
  return {
    facts: { format: "csv" as const, bytes: counts.bytes, sha256: counts.sha256, headerRows: [] },
    rows: counts.read,
    accepted: counts.rows.length,
    duplicates: 0,
    rejections: counts.rejections,
    normalizedKey,
    keep: () => deps.store.put(normalizedKey, JSON.stringify(counts.rows), "application/json"),
    abandon: async () => undefined,
  };
}

export const headcountKind: CycleKind<HeadcountConfig, HeadcountResults> = {
  name: "headcount",
  label: "head-count cycle",
  parseCycleFile: (json, _text, source) => parseCycleJson(headcountConfigSchema, json, source),
  describeCycle: (config, file) => [`${file}: valid head-count cycle ${config.id}`],
  uploadPlaces: () => ({ noun: "head counts go to", names: ["counts"] }),
  isPersonalPlace: () => false,
  checkUploadPlace(config, upload) {
    if (upload.group !== "counts") throw new FileRejectedError(upload.key, `head counts of ${config.id} go to uploads/${config.id}/counts/`);
  },
  encodeUpload: encodeCounts,
  async checkExport(config, place, body, file) {
    const counts = await readCounts(body, file);
    const result = checkEncodedExport(
      { facts: { format: "csv", bytes: counts.bytes, sha256: counts.sha256, headerRows: [] }, rows: counts.read, accepted: counts.rows.length, duplicates: 0, rejections: counts.rejections },
      { file, place, tool: "csv", minimumAcceptedShare: config.minimumAcceptedShare },
    );
    return { result, lines: describeOtherCheck(result), ...(result.refused === undefined ? {} : { refused: result.refused }) };
  },
  async compute(config, deps) {
    const generation = await deps.ledger.generation(config.id);
    const batches = await deps.ledger.currentBatches(config.id);
    const people = new Map<string, number>();
    for (const batch of batches) {
      for (const row of batchSchema.parse(JSON.parse((await deps.store.getText(batch.normalizedKey)) ?? "[]"))) people.set(row.team, (people.get(row.team) ?? 0) + row.people);
    }
    const teams = [...people].map(([team, n]) => ({ team, people: n })).sort((a, b) => a.team.localeCompare(b.team));
    const computedAt = (deps.now ?? (() => new Date()))().toISOString();
    const results: HeadcountResults = {
      kind: "headcount",
      cycle: { id: config.id, title: config.title },
      teams,
      total: teams.reduce((sum, t) => sum + t.people, 0),
      provenance: { generation, computedAt, uploads: batches.map((b) => b.upload.key) },
    };
    const table = ["team,people", ...teams.map((t) => `${t.team},${t.people}`)].join("\n") + "\n";
    const { key, published } = await publishResults(results, [{ name: "tables/headcount.csv", body: table, contentType: "text/csv; charset=utf-8" }], deps);
    return { key, status: `${results.total} people`, published, computedAt, results };
  },
  computesAfterReingest: true,
  resultsSchema: headcountResultsSchema,
  jsonSchemas: [],
  summarize: (results) => results.teams.map((t) => `${t.team}: ${t.people}`).join("\n"),
  describeOutputs: (_cycleId, folder) => [`Head count: ${folder}/results.json`],
  listEntry: (config, results) => ({ id: config.id, title: config.title, kind: "headcount", computed: results ? { at: results.provenance.computedAt, total: results.total } : null }),
  sections: [{ name: "teams", select: (results) => ({ cycle: results.cycle, teams: results.teams }) }],
};
