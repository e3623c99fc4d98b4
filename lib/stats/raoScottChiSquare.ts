import betainc from "@stdlib/math-base-special-betainc";
import { inverse, Matrix } from "ml-matrix";
import { assertWeights, linearisationCovariance } from "./designVariance.ts";
import { StatisticsInputError } from "./statisticsInputError.ts";

/** A Rao-Scott corrected test of independence, as an F on non-integer degrees of freedom. */
export interface RaoScottResult {
  statistic: number;
  ndf: number;
  ddf: number;
  p: number;
}

type Category = string | number | boolean;

/** R's solve() refuses a matrix whose reciprocal condition number is below its machine epsilon; this is a little safer. */
const SINGULAR = 1e-12;

/**
 * The Rao-Scott second-order corrected test of independence of two answers on weighted data, as
 * R's `svychisq(~a + b, subset(design, !is.na(a) & !is.na(b)), statistic = "F")` with
 * `design = svydesign(ids = ~1, weights = ~w, data = d)`. Respondents with a null in either are
 * left out as a domain: they stay in the design's n for the variance, but not in the degrees of
 * freedom (`svychisq` on the whole design, leaving them out by `na.rm`, gives the same F and ndf
 * and counts them in ddf).
 *
 * Pearson's X² of the weighted table is divided by the trace of Δ = (C'D⁻¹C)⁻¹ C'D⁻¹VD⁻¹C, where
 * C spans the interactions, D is the diagonal of the cell shares and V their linearisation
 * covariance; it is referred to F on d = tr(Δ)² / tr(Δ²) and d (n − 1) degrees of freedom, n the
 * respondents who answered both. The p-value is the F upper tail computed as R's `pf` does, from
 * the incomplete beta function, never as 1 − cdf.
 * Rao and Scott (1984), Ann. Statist. 12(1):46-60.
 *
 * @example raoScottChiSquare(["m", "m", "m", "w", "w", "w"], [true, false, true, false, false, true], [1, 2, 1, 1, 3, 2])
 * // { statistic: 0.12963, ndf: 1, ddf: 5, p: 0.73352 } (R: svychisq(~a + b, design))
 */
export function raoScottChiSquare(
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
  weights: readonly number[],
): RaoScottResult {
  if (a.length !== b.length) throw new StatisticsInputError(`the two answers have ${a.length} and ${b.length} respondents`);
  assertWeights(weights, a.length);
  const answered = a.map((value, i) => value !== null && b[i] !== null);
  const rows = categoriesOf(a, answered, "the first variable");
  const columns = categoriesOf(b, answered, "the second variable");
  const cells = cellShares(a, b, weights, answered, rows, columns);
  const nr = rows.size;
  const nc = columns.size;
  const contrasts = interactionContrasts(nr, nc);
  const inverseShares = cells.shares.map((share) => (share === 0 ? 0 : 1 / share));
  const scaled = contrasts.clone();
  for (let k = 0; k < nr * nc; k++) scaled.mulRow(k, inverseShares[k]!);
  const denominator = contrasts.transpose().mmul(scaled);
  const numerator = scaled.transpose().mmul(new Matrix(linearisationCovariance(cells.influence))).mmul(scaled);
  const delta = solveWell(denominator, numerator).mul(cells.respondents);
  const trace = delta.trace();
  const ndf = (trace * trace) / delta.mmul(delta).trace();
  const ddf = ndf * (answered.filter(Boolean).length - 1);
  const statistic = pearson(cells.shares, nr, nc, cells.respondents) / trace;
  return { statistic, ndf, ddf, p: fUpperTail(statistic, ndf, ddf) };
}

/** The categories of one answer among the respondents who answered both, each with its index. */
function categoriesOf(values: readonly (Category | null)[], answered: readonly boolean[], what: string): Map<Category, number> {
  const categories = new Map<Category, number>();
  values.forEach((value, i) => {
    if (!answered[i] || value === null) return;
    if (typeof value === "number" && !Number.isFinite(value)) throw new StatisticsInputError(`${what}: ${value} is not a category`);
    if (!categories.has(value)) categories.set(value, categories.size);
  });
  if (categories.size < 2) {
    throw new StatisticsInputError(`${what} has ${categories.size} categories among the respondents who answered both (a test needs 2)`);
  }
  return categories;
}

/**
 * The weighted shares of the table's cells (row category fastest, as R's interaction()) and each
 * respondent's influence on them, w (cell indicator − shares) / Σw, 0 for those left out.
 */
function cellShares(
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
  weights: readonly number[],
  answered: readonly boolean[],
  rows: Map<Category, number>,
  columns: Map<Category, number>,
) {
  const nr = rows.size;
  const cellOf = a.map((value, i) => (answered[i] ? rows.get(value!)! + nr * columns.get(b[i]!)! : -1));
  const totals = new Array<number>(nr * columns.size).fill(0);
  cellOf.forEach((cell, i) => {
    if (cell >= 0) totals[cell]! += weights[i]!;
  });
  const total = totals.reduce((sum, value) => sum + value, 0);
  assertEveryCategoryWeighted(totals, rows, columns);
  const shares = totals.map((value) => value / total);
  const influence = shares.map((share, k) =>
    Float64Array.from(cellOf, (cell, i) => (cell < 0 ? 0 : (weights[i]! * (Number(cell === k) - share)) / total)),
  );
  return { shares, influence, respondents: answered.filter(Boolean).length };
}

/** A category whose respondents all have weight 0 leaves an empty margin: R's solve() fails on it. */
function assertEveryCategoryWeighted(totals: readonly number[], rows: Map<Category, number>, columns: Map<Category, number>): void {
  const nr = rows.size;
  for (const [category, r] of rows) {
    if (Array.from(columns.values()).every((c) => totals[r + nr * c] === 0)) {
      throw new StatisticsInputError(`category ${String(category)} of the first variable has no weight (its respondents all weigh 0)`);
    }
  }
  for (const [category, c] of columns) {
    if (Array.from(rows.values()).every((r) => totals[r + nr * c] === 0)) {
      throw new StatisticsInputError(`category ${String(category)} of the second variable has no weight (its respondents all weigh 0)`);
    }
  }
}

/**
 * The interaction columns of the saturated model on the r × c grid, residuals on the additive
 * model (R: `qr.resid(qr(X1), X12[, interactions])`). On a grid with one cell per combination that
 * projection is double centring: the column for (i, j) is (δ(row = i) − 1/r)(δ(column = j) − 1/c).
 */
function interactionContrasts(nr: number, nc: number): Matrix {
  const contrasts = new Matrix(nr * nc, (nr - 1) * (nc - 1));
  for (let i = 1; i < nr; i++) {
    for (let j = 1; j < nc; j++) {
      const column = (i - 1) + (nr - 1) * (j - 1);
      for (let row = 0; row < nr; row++) {
        for (let col = 0; col < nc; col++) {
          contrasts.set(row + nr * col, column, (Number(row === i) - 1 / nr) * (Number(col === j) - 1 / nc));
        }
      }
    }
  }
  return contrasts;
}

/** A⁻¹B, refusing (as R's solve does) an A too near singular: empty cells that leave an interaction with no data. */
function solveWell(a: Matrix, b: Matrix): Matrix {
  const refuse = (detail: string, cause?: unknown) =>
    new StatisticsInputError(`the table's empty cells leave an interaction with no data (${detail}): the Rao-Scott correction cannot be computed`, { cause });
  let aInverse: Matrix;
  try {
    aInverse = inverse(a);
  } catch (error) {
    throw refuse("the matrix is singular", error);
  }
  const norm1 = (m: Matrix) => Math.max(...Array.from({ length: m.columns }, (_, j) => m.getColumn(j).reduce((sum, v) => sum + Math.abs(v), 0)));
  const reciprocalCondition = 1 / (norm1(a) * norm1(aInverse));
  if (!(reciprocalCondition >= SINGULAR)) throw refuse(`reciprocal condition number ${reciprocalCondition.toExponential(2)}`);
  return aInverse.mmul(b);
}

/** Pearson's X² of the weighted table scaled to n respondents (R: `chisq.test(svytable(..., Ntotal = n))`). */
function pearson(shares: readonly number[], nr: number, nc: number, n: number): number {
  const rowShares = Array.from({ length: nr }, (_, r) => Array.from({ length: nc }, (_, c) => shares[r + nr * c]!).reduce((s, v) => s + v, 0));
  const columnShares = Array.from({ length: nc }, (_, c) => Array.from({ length: nr }, (_, r) => shares[r + nr * c]!).reduce((s, v) => s + v, 0));
  let statistic = 0;
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const expected = rowShares[r]! * columnShares[c]!;
      statistic += ((shares[r + nr * c]! - expected) ** 2) / expected;
    }
  }
  return n * statistic;
}

/**
 * P(F > x) on d1 and d2 degrees of freedom, as R's pf(lower.tail = FALSE): the upper tail of the
 * beta at d1x / (d1x + d2), or for large x the lower tail of the mirrored beta at d2 / (d2 + d1x),
 * so neither ever subtracts from 1.
 */
function fUpperTail(x: number, d1: number, d2: number): number {
  if (d1 * x > d2) return betainc(d2 / (d2 + d1 * x), d2 / 2, d1 / 2, true, false);
  return betainc((d1 * x) / (d2 + d1 * x), d1 / 2, d2 / 2, true, true);
}
