import { createReadStream } from "node:fs";
import { Writable } from "node:stream";
import type { CycleConfig } from "../lib/survey/config/cycleConfig.ts";
import { encodeExport } from "../lib/survey/ingest/encodeExport.ts";

/** The ingest core on one core, timed: file → read → validate → encode → (discarded) batch. */
export async function coreIngest(path: string, config: CycleConfig): Promise<{ seconds: number; accepted: number }> {
  const started = performance.now();
  const encoded = await encodeExport(createReadStream(path, { highWaterMark: 1 << 20 }), {
    config,
    group: "nqsws",
    file: path,
    onWriter: (writer) => writer.stream.pipe(new Writable({ write: (_chunk, _encoding, done) => done() })),
  });
  encoded.writer.end();
  return { seconds: (performance.now() - started) / 1000, accepted: encoded.writer.rows };
}
