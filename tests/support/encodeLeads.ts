import { Writable } from "node:stream";
import type { CycleConfig } from "../../lib/survey/config/cycleConfig.ts";
import { encodeExport } from "../../lib/survey/ingest/encodeExport.ts";

/** Bytes as an upload's body arrives: strings encoded as UTF-8, each part its own chunk. */
export async function* bytesOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

/** Reads an export for a cycle's leads as ingest does (the batch written nowhere): counts, problems, how it was read and the dates' order. */
export async function encodeLeads(chunks: AsyncIterable<Uint8Array>, cycle: CycleConfig) {
  const result = await encodeExport(chunks, {
    config: cycle,
    group: "leads",
    file: "uploads/test-cycle/leads/x.csv",
    onWriter: (writer) => writer.stream.pipe(new Writable({ write: (_chunk, _encoding, done) => done() })),
  });
  result.writer.end();
  return { rows: result.rows, accepted: result.writer.rows, problems: result.rejections.problems, facts: result.facts, dateOrder: result.dateOrder };
}
