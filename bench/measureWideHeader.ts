/**
 * One size of `npm run bench`'s wide-header table (run in its own process, so the peak RSS is
 * this file's alone): the synthetic export with `cells` empty header cells after its real
 * columns, and as many empty cells on each of its `rows` responses, read by the ingest core
 * (read → validate → encode, batch discarded). Prints one JSON line: cells, rows, megabytes,
 * seconds, peakRssMb, accepted, refused (the refusal's message, when the file is refused).
 * `npx tsx bench/measureWideHeader.ts 1000000 100`; `CHUNK=1024` reads it in pieces of that many
 * bytes instead of 64 KiB (the time stays linear in the size, whatever the pieces).
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { Writable } from "node:stream";
import { FileRejectedError } from "../lib/errors.ts";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { encodeExport } from "../lib/survey/ingest/encodeExport.ts";
import { syntheticCycle, syntheticExport } from "./syntheticCycle.ts";

const cells = Number(process.argv[2]);
const rows = Number(process.argv[3] ?? 30);

/** Writes (once) the synthetic export's header and first `rows` responses, each line followed by `cells` empty cells. */
async function wideHeaderExport(): Promise<string> {
  const path = `bench/data/wide-header-${cells}-${rows}.csv`;
  if (existsSync(path)) return path;
  mkdirSync("bench/data", { recursive: true });
  const source = await syntheticExport(10_000);
  const out = createWriteStream(`${path}.partial`);
  const padding = ",".repeat(cells);
  let written = -1;
  let partial = "";
  for await (const text of createReadStream(source, { encoding: "utf8" })) {
    const lines = (partial + (text as string)).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (written++ >= rows) break;
      if (!out.write(`${line}${padding}\n`)) await once(out, "drain");
    }
    if (written > rows) break;
  }
  out.end();
  await once(out, "finish");
  renameSync(`${path}.partial`, path);
  return path;
}

const path = await wideHeaderExport();
const config = cycleConfigSchema.parse(syntheticCycle());
const started = performance.now();
let accepted = 0;
let refused: string | undefined;
try {
  const encoded = await encodeExport(createReadStream(path, { highWaterMark: Number(process.env.CHUNK ?? 1 << 16) }), {
    config,
    group: "nqsws",
    file: path,
    onWriter: (writer) => writer.stream.pipe(new Writable({ write: (_chunk, _encoding, done) => done() })),
  });
  encoded.writer.end();
  accepted = encoded.writer.rows;
} catch (error) {
  if (!(error instanceof FileRejectedError)) throw error;
  refused = error.reason;
}
const seconds = (performance.now() - started) / 1000;
// The process's own high-water mark (kilobytes on Linux), start-up included, as GNU time reports it.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ cells, rows, megabytes: statSync(path).size / 1e6, seconds, peakRssMb, accepted, ...(refused === undefined ? {} : { refused }) }));
