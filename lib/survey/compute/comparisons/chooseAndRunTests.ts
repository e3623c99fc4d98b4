import type { Measure } from "../../config/cycleConfig.ts";
import { chiSquareTest } from "../../../stats/chiSquareTest.ts";
import { fisherExact } from "../../../stats/fisherExact.ts";
import { mannWhitneyUFromCounts } from "../../../stats/mannWhitneyU.ts";
import { newcombeInterval } from "../../../stats/newcombeInterval.ts";
import type { MeasuredSample } from "./measureCounts.ts";

/** One pairwise test before adjustment. */
export interface RawPairTest {
  a: string;
  b: string;
  test: "fisher-exact" | "chi-square" | "mann-whitney";
  why: string;
  statistic: number | null;
  df: number | null;
  p: number;
  differencePoints: { estimate: number; lower: number; upper: number } | null;
  probabilityOfSuperiority: number | null;
}

/** The omnibus test across more than two samples. */
export interface RawOmnibus {
  test: "chi-square";
  why: string;
  statistic: number;
  df: number;
  p: number;
  cramersV: number;
}

/**
 * Chooses and runs the tests for two or more samples, from counts only:
 * - shares, two samples: a 2 x 2 table; Fisher's exact test when any expected count is under 5,
 *   otherwise Pearson's chi-square; the effect is the difference in percentage points with
 *   Newcombe's hybrid score 95% interval (method 10);
 * - the whole distribution of an ordered scale, two samples: Mann-Whitney U from category
 *   counts; the effect is the probability that an answer from the first sample is more
 *   positive than one from the second (half the ties), oriented by where the scale's positive
 *   answers are (`positiveFirst`), whatever order the scale is listed in;
 * - more than two samples: a chi-square omnibus test (with Cramér's V), then every pair as above.
 */
export function chooseAndRunTests(
  samples: readonly { id: string; measured: MeasuredSample }[],
  measure: Measure,
  /** Whether the scale lists its positive answers before its negative ones (Mann-Whitney's orientation). */
  positiveFirst = true,
): { omnibus: RawOmnibus | null; pairs: RawPairTest[] } {
  const omnibus = samples.length > 2 ? omnibusTest(samples.map((s) => s.measured), measure) : null;
  const pairs: RawPairTest[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      const result = measure === "distribution" ? distributionTest(a.measured, b.measured, positiveFirst) : shareTest(a.measured, b.measured);
      pairs.push({ a: a.id, b: b.id, ...result });
    }
  }
  return { omnibus, pairs };
}

function shareTest(a: MeasuredSample, b: MeasuredSample): Omit<RawPairTest, "a" | "b"> {
  const table = [
    [a.successes, a.base - a.successes],
    [b.successes, b.base - b.successes],
  ];
  const n = a.base + b.base;
  const columns = [a.successes + b.successes, n - a.successes - b.successes];
  const smallestExpected = Math.min(...[a.base, b.base].flatMap((row) => columns.map((column) => (row * column) / n)));
  const interval = newcombeInterval(a.successes, a.base, b.successes, b.base);
  const difference = { estimate: 100 * interval.estimate, lower: 100 * interval.lower, upper: 100 * interval.upper };
  if (smallestExpected < 5) {
    return {
      test: "fisher-exact",
      why: `2 x 2 table with an expected count of ${smallestExpected.toFixed(1)} (under 5)`,
      statistic: null,
      df: null,
      p: fisherExact(table).p,
      differencePoints: difference,
      probabilityOfSuperiority: null,
    };
  }
  const chi = chiSquareTest(table);
  return {
    test: "chi-square",
    why: "2 x 2 table with every expected count at least 5",
    statistic: chi.statistic,
    df: chi.df,
    p: chi.p,
    differencePoints: difference,
    probabilityOfSuperiority: null,
  };
}

function distributionTest(a: MeasuredSample, b: MeasuredSample, positiveFirst: boolean): Omit<RawPairTest, "a" | "b"> {
  const result = mannWhitneyUFromCounts(a.distribution, b.distribution);
  // U (R's W) counts pairs where a's answer comes later in the scale, plus half the ties.
  const later = result.U / (a.base * b.base);
  return {
    test: "mann-whitney",
    why: "ordered categories (the whole scale), compared from category counts",
    statistic: result.U,
    df: null,
    p: result.p,
    differencePoints: null,
    probabilityOfSuperiority: positiveFirst ? 1 - later : later,
  };
}

function omnibusTest(samples: MeasuredSample[], measure: Measure): RawOmnibus | null {
  const rows =
    measure === "distribution"
      ? samples.map((s) => s.distribution)
      : samples.map((s) => [s.successes, s.base - s.successes]);
  // Categories nobody chose carry no information (and would make expected counts zero).
  const used = rows[0]!.map((_, k) => rows.some((row) => row[k]! > 0));
  const table = rows.map((row) => row.filter((_, k) => used[k]));
  if (table[0]!.length < 2) return null;
  const chi = chiSquareTest(table);
  const n = table.flat().reduce((sum, value) => sum + value, 0);
  return {
    test: "chi-square",
    why: `${samples.length} samples: chi-square omnibus test on the ${table.length} x ${table[0]!.length} table, then pairwise tests`,
    statistic: chi.statistic,
    df: chi.df,
    p: chi.p,
    cramersV: Math.sqrt(chi.statistic / (n * (Math.min(table.length, table[0]!.length) - 1))),
  };
}
