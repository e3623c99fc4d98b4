/**
 * Ours in the side-by-side run, as the anchors are run: a fresh process given the CSV file,
 * which times itself from the file to the results document (bench/fileToResults.ts: read,
 * validate, encode, tally, every figure and the 80 comparisons; start-up not included, as the
 * anchors do not include theirs). Prints one JSON line: seconds and comparisons.
 * Run: node --import tsx bench/measureResults.ts bench/data/nqsws-v2-1000000.csv
 */
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { fileToResults } from "./fileToResults.ts";
import { syntheticCycle } from "./syntheticCycle.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: bench/measureResults.ts <export.csv>");
const { seconds, comparisons } = await fileToResults(path, cycleConfigSchema.parse(syntheticCycle()));
if (comparisons !== 80) throw new Error(`expected 80 comparisons tested, got ${comparisons}`);
console.log(JSON.stringify({ seconds: Number(seconds.toFixed(3)), comparisons }));
