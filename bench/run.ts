/**
 * `npm run bench`: ingest throughput, compute time and peak RSS at 10k, 100k and 1M synthetic
 * responses (40 labelled single-choice items, 10 multi-select options), and the minified
 * bundle size and cold import time of each function, and the time and peak RSS of exports with
 * 100,000 and 1,000,000 empty header cells (bench/measureWideHeader.ts). Sizes can be chosen:
 * `npm run bench -- 10000 100000`. `npm run bench -- --json 1000000` prints only one JSON line
 * per size (rows, megabytes, coreSeconds, computeSeconds, peakRssMb, …) for scripts.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { availableAnchors, OURS, sideBySide } from "./anchors.ts";
import { syntheticExport } from "./syntheticCycle.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const sizes = args.map(Number).filter((n) => n > 0);
const rows = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];

/** What bench/measureSize.ts prints for one size. */
interface SizeMeasurement {
  rows: number;
  megabytes: number;
  accepted: number;
  endToEndAccepted: number;
  /** CSV file to normalized rows, one core. */
  coreSeconds: number;
  ingestSeconds: number;
  computeSeconds: number;
  comparisons: number;
  peakRssMb: number;
  /** CSV file to the results document in one process on one core, no storage. */
  resultsSeconds: number;
  resultsComparisons: number;
}

/** One size measured in its own process (bench/measureSize.ts): its JSON line, parsed. */
function measure(n: number): SizeMeasurement {
  const output = execFileSync(process.execPath, ["--import", "tsx", "bench/measureSize.ts", String(n)], {
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as SizeMeasurement;
}

if (json) {
  for (const n of rows) console.log(JSON.stringify(measure(n)));
  process.exit(0);
}

console.log("Ingest and compute (each size in its own process; compute includes 80 comparisons: 40 items x share and distribution)");
console.log(
  "  rows       CSV MB   core MB/s  core rows/s   e2e ingest s  e2e MB/s  compute s  ingest+compute s  peak RSS MB",
);
const measured = new Map<number, SizeMeasurement>();
for (const n of rows) {
  const r = measure(n);
  measured.set(n, r);
  if (r.comparisons !== 80) throw new Error(`expected 80 comparisons tested, got ${r.comparisons}`);
  if (r.accepted !== n || r.endToEndAccepted !== n)
    throw new Error(`expected ${n} rows accepted, got ${r.accepted} / ${r.endToEndAccepted}`);
  console.log(
    `  ${String(n).padEnd(9)} ${r.megabytes.toFixed(1).padStart(7)} ${(r.megabytes / r.coreSeconds).toFixed(1).padStart(11)} ${Math.round(
      n / r.coreSeconds,
    )
      .toLocaleString("en-GB")
      .padStart(
        12,
      )} ${r.ingestSeconds.toFixed(2).padStart(14)} ${(r.megabytes / r.ingestSeconds).toFixed(1).padStart(9)} ${r.computeSeconds.toFixed(2).padStart(10)} ${(r.ingestSeconds + r.computeSeconds).toFixed(2).padStart(17)} ${r.peakRssMb.toFixed(0).padStart(12)}`,
  );
}

// Side by side with R and DuckDB on the same files, one core each, when this machine has them.
const ROUNDS = 3;
const anchors = availableAnchors();
if (anchors.length === 0) {
  console.log("\nAnchors: neither Rscript with data.table nor DuckDB (its Node API or Python's) is installed: no side-by-side run (see bench/anchors/).");
} else {
  console.log(`\nSide by side on one core, from the CSV file to the figures (ours: file to results document, 80 comparisons; ${anchors.map((a) => a.name).join("; ")})`);
  console.log(`  median of ${ROUNDS} runs each, interleaved, each run a fresh process timing itself (start-up not included), peak RSS from GNU time`);
  console.log("  rows       ours s  ours MB   " + anchors.map((a) => `${a.name.padEnd(24)} s     MB   ratio`).join("   "));
  for (const n of rows) {
    const path = await syntheticExport(n);
    const medians = sideBySide([OURS, ...anchors], path, ROUNDS);
    const ours = medians.get(OURS.name)!;
    const cells = anchors.map((anchor) => {
      const run = medians.get(anchor.name)!;
      return `${"".padEnd(24)} ${run.seconds.toFixed(2).padStart(6)} ${(run.peakRssMb?.toFixed(0) ?? "?").padStart(6)}  ${(run.seconds / ours.seconds).toFixed(2).padStart(5)}x`;
    });
    console.log(`  ${String(n).padEnd(9)} ${ours.seconds.toFixed(2).padStart(6)} ${(ours.peakRssMb?.toFixed(0) ?? "?").padStart(7)}   ${cells.join("   ")}`);
  }
  console.log("  (ratio = their seconds / ours: above 1, we are faster; targets 2.5x R data.table, 2x single-threaded DuckDB)");
}

console.log("\nFormats (the same export, ingest core on one core: read, validate, encode; sizes up to 100k: a 1M-row workbook takes minutes to make)");
console.log("  rows       CSV MB/s  rows/s      UTF-16 TSV MB  MB/s  rows/s      xlsx MB  MB/s  rows/s");
for (const n of rows.filter((size) => size <= 100_000)) {
  const output = execFileSync(process.execPath, ["--import", "tsx", "bench/measureFormats.ts", String(n)], {
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(output.trim().split("\n").at(-1)!);
  for (const format of ["csv", "utf16", "xlsx"]) if (r[format].accepted !== n) throw new Error(`${format}: expected ${n} rows accepted, got ${r[format].accepted}`);
  const cell = (m: { megabytes: number; seconds: number }, withSize: boolean) =>
    `${withSize ? m.megabytes.toFixed(1).padStart(13) : ""} ${(m.megabytes / m.seconds).toFixed(1).padStart(8)} ${Math.round(n / m.seconds).toLocaleString("en-GB").padStart(9)}`;
  console.log(`  ${String(n).padEnd(9)}${cell(r.csv, false)}   ${cell(r.utf16, true)}   ${cell(r.xlsx, true)}`);
}

console.log("\nWide headers (issue 20: a header's cost is linear in its length): the synthetic export with empty cells after its");
console.log("  real columns, on the header and on every response, read by the ingest core in 64 KiB pieces, each in its own process");
console.log("  empty cells  rows   CSV MB  seconds  peak RSS MB  outcome");
for (const [cells, responses] of [
  [100_000, 30],
  [1_000_000, 100],
] as const) {
  const output = execFileSync(process.execPath, ["--import", "tsx", "bench/measureWideHeader.ts", String(cells), String(responses)], {
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(output.trim().split("\n").at(-1)!) as { megabytes: number; seconds: number; peakRssMb: number; accepted: number; refused?: string };
  const outcome = r.refused === undefined ? `${r.accepted} accepted` : `refused: ${r.refused}`;
  console.log(`  ${cells.toLocaleString("en-GB").padStart(11)} ${String(responses).padStart(5)} ${r.megabytes.toFixed(1).padStart(8)} ${r.seconds.toFixed(2).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(12)}  ${outcome}`);
}

console.log("\nFunction bundles (esbuild, minified, node22; @aws-sdk/client-* left to the Lambda runtime; exceljs, and for compute and organisation-reports @sparticuz/chromium, playwright-core and tar-fs (and ml-matrix for compute), installed beside the bundle, as sst.config.ts sets)");
console.log("  and the cold import of each bundle in a fresh Node process (median of 5; target: under 300 ms)");
const bundles = join(".local", "bench-bundles");
mkdirSync(bundles, { recursive: true });
for (const fn of ["ingest", "compute", "organisation-reports", "reminders", "results-api", "ses-events"]) {
  const outfile = join(bundles, `${fn}.mjs`);
  await build({
    entryPoints: [`functions/${fn}.ts`],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "esm",
    outfile,
    logLevel: "silent",
    // A bundled CommonJS dependency needs require in an ES module, as SST's bundles provide it.
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);" },
    external: ["@aws-sdk/client-*", "exceljs", "@sparticuz/chromium", "playwright-core", "tar-fs", "ml-matrix", "subset-font"],
  });
  const kib = statSync(outfile).size / 1024;
  const imports = Array.from({ length: 5 }, () => coldImportMs(outfile)).sort((a, b) => a - b);
  console.log(`  functions/${fn}.ts: ${kib.toFixed(0).padStart(4)} KiB${kib >= 1024 ? " (over the 1 MB target)" : ""}   import ${imports[2]!.toFixed(0)} ms${imports[2]! >= 300 ? " (over the 300 ms target)" : ""}`);
}

/** How long a fresh Node process takes to import a handler bundle (what a Lambda cold start adds to Node's own). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`./${file}`)}); console.log(performance.now() - t);`;
  // The AWS SDK's Node 20 warning on stderr is not part of the measurement.
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
  return Number(output.trim().split("\n").at(-1));
}
