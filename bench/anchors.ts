import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/** One anchor's run on an export: wall seconds and peak RSS (MB, when GNU time is there to say). */
export interface AnchorRun {
  name: string;
  seconds: number;
  peakRssMb?: number;
}

/** A contender in the side-by-side run: a command given the export's path that prints `{"seconds": …}` last. */
export interface Anchor {
  name: string;
  command: string[];
}

/** Ours, run exactly as the anchors are: a fresh process per run (bench/measureResults.ts). */
export const OURS: Anchor = { name: "ours", command: [process.execPath, "--import", "tsx", "bench/measureResults.ts"] };

/** The median of each contender's runs (seconds and peak RSS), interleaved so that drift on the machine hits all alike. */
export function sideBySide(contenders: readonly Anchor[], path: string, rounds: number): Map<string, AnchorRun> {
  const runs = new Map<string, AnchorRun[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < rounds; round++) for (const contender of contenders) runs.get(contender.name)!.push(runAnchor(contender, path));
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return new Map(
    [...runs].map(([name, list]) => {
      const rss = list.flatMap((run) => (run.peakRssMb === undefined ? [] : [run.peakRssMb]));
      return [name, { name, seconds: median(list.map((run) => run.seconds)), ...(rss.length > 0 ? { peakRssMb: median(rss) } : {}) }];
    }),
  );
}

/** The anchors this machine can run: R with data.table, and DuckDB (its Node API, or Python's duckdb). */
export function availableAnchors(): Anchor[] {
  const anchors: Anchor[] = [];
  if (spawnSync("Rscript", ["-e", "suppressPackageStartupMessages(library(data.table))"], { stdio: "ignore" }).status === 0) {
    anchors.push({ name: "R data.table, 1 thread", command: ["Rscript", "bench/anchors/datatable.R"] });
  }
  if (resolves("@duckdb/node-api")) {
    anchors.push({ name: "DuckDB, 1 thread", command: [process.execPath, "bench/anchors/duckdb.mjs"] });
  } else if (spawnSync("python3", ["-c", "import duckdb"], { stdio: "ignore" }).status === 0) {
    anchors.push({ name: "DuckDB, 1 thread", command: ["python3", "bench/anchors/duckdb_anchor.py"] });
  }
  return anchors;
}

/**
 * Runs an anchor on the export, under GNU time when present (for its peak RSS), and returns the
 * seconds the anchor measured itself (file to figures, start-up excluded as ours is).
 */
export function runAnchor(anchor: Anchor, path: string): AnchorRun {
  const timed = existsSync("/usr/bin/time");
  const [program, ...args] = timed ? ["/usr/bin/time", "-f", "peak-rss-kb %M", ...anchor.command, path] : [...anchor.command, path];
  const result = spawnSync(program!, args, { encoding: "utf8", maxBuffer: 1 << 20, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
  if (result.status !== 0) throw new Error(`${anchor.name} failed: ${result.stderr.slice(-500)}`);
  const { seconds } = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { seconds: number };
  const rss = /peak-rss-kb (\d+)/.exec(result.stderr);
  return { name: anchor.name, seconds, ...(rss ? { peakRssMb: Number(rss[1]) / 1024 } : {}) };
}


/** Whether a package is installed (the DuckDB anchor's is not a dependency: `npm install --no-save @duckdb/node-api`). */
function resolves(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}
