import { createReadStream } from "node:fs";
import { Writable } from "node:stream";
import { buildResults } from "../lib/survey/compute/buildResults.ts";
import { tallyBatch } from "../lib/survey/compute/tallyBatch.ts";
import type { CycleConfig } from "../lib/survey/config/cycleConfig.ts";
import { encodeExport } from "../lib/survey/ingest/encodeExport.ts";

/**
 * The bench's side-by-side measure: one process on one core, from the CSV file to the results
 * document (read, validate, encode, tally, every figure and the 80 comparisons), with no storage
 * in between: what the R and DuckDB anchors do, and nothing more (no report, workbook or S3).
 */
export async function fileToResults(path: string, config: CycleConfig): Promise<{ seconds: number; comparisons: number }> {
  const started = performance.now();
  const batch: Buffer[] = [];
  const encoded = await encodeExport(createReadStream(path, { highWaterMark: 1 << 20 }), {
    config,
    group: "nqsws",
    file: path,
    onWriter: (writer) =>
      writer.stream.pipe(
        new Writable({
          write: (chunk: Buffer, _encoding, done) => {
            batch.push(chunk);
            done();
          },
        }),
      ),
  });
  encoded.writer.end();
  await new Promise((resolve) => setImmediate(resolve));
  const tally = await tallyBatch(
    (async function* () {
      yield* batch;
    })(),
    path,
  );
  const counts = { rows: encoded.rows, accepted: encoded.writer.rows, rejected: encoded.rejections.rejectedRows, duplicates: encoded.duplicates };
  const document = buildResults({
    config,
    tallies: new Map([["nqsws", tally]]),
    batches: [{ cycleId: config.id, group: "nqsws", upload: { key: path, etag: "bench", cycleId: config.id, group: "nqsws", uploadedAt: "2025-03-01T00:00:00.000Z", sequencer: "0" }, checksum: encoded.facts.sha256, normalizedKey: "bench", counts }],
    previous: undefined,
    now: new Date("2025-03-01"),
    codeVersion: "bench",
    generation: 1,
  });
  return { seconds: (performance.now() - started) / 1000, comparisons: document.comparisons.filter((c) => c.pairs.length > 0).length };
}
