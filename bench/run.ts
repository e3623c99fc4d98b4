/**
 * `npm run bench`: ingest throughput, compute time and peak RSS at 10k, 100k and 1M synthetic
 * responses (40 labelled single-choice items, 10 multi-select options), and the minified
 * bundle size of each function. Sizes can be chosen: `npm run bench -- 10000 100000`.
 */
import { execFileSync } from "node:child_process";
import { build } from "esbuild";

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];

console.log("Ingest and compute (each size in its own process; compute includes 80 comparisons: 40 items x share and distribution)");
console.log(
  "  rows       CSV MB   core MB/s  core rows/s   e2e ingest s  e2e MB/s  compute s  ingest+compute s  peak RSS MB",
);
for (const n of rows) {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", "bench/measureSize.ts", String(n)],
    {
      encoding: "utf8",
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      maxBuffer: 1 << 20,
    },
  );
  const r = JSON.parse(output.trim().split("\n").at(-1)!);
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

console.log("\nFunction bundles (esbuild, minified, node22; @aws-sdk/client-* left to the Lambda runtime; exceljs, and for compute and organisation-reports @sparticuz/chromium and playwright-core, installed beside the bundle, as sst.config.ts sets)");
for (const fn of ["ingest", "compute", "organisation-reports", "reminders", "results-api", "ses-events"]) {
  const result = await build({
    entryPoints: [`functions/${fn}.ts`],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "esm",
    write: false,
    logLevel: "silent",
    external: ["@aws-sdk/client-*", "exceljs", "@sparticuz/chromium", "playwright-core"],
  });
  const kib = result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0) / 1024;
  console.log(`  functions/${fn}.ts: ${kib.toFixed(0)} KiB${kib >= 1024 ? "  (over the 1 MB target)" : ""}`);
}
