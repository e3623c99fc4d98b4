import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { normalQuantile975 } from "./normalQuantile.ts";
import { normalUpperTail } from "./normalTail.ts";
import { StatisticsInputError } from "./statisticsInputError.ts";

/** A fitted logistic regression, on the scale R reports it. Aliased columns have NaN throughout. */
export interface LogisticFit {
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  p: number[];
  /** exp(coefficient), and the Wald 95% interval on that scale (R's `exp(confint.default(fit))`). */
  oddsRatios: number[];
  lower95: number[];
  upper95: number[];
  deviance: number;
  iterations: number;
  /** False when the fit did not converge or the data are separated: the estimates are then not to be read. */
  converged: boolean;
  /** Separation, aliased columns, non-convergence: each names the predictor. */
  warnings: string[];
  /** Columns left out because they are linear combinations of earlier ones (R's NA coefficients). */
  aliased: number[];
  /** Columns whose estimate runs off to infinity (separation): empty when there is none. */
  separated: number[];
  /** Which estimator: maximum likelihood, or Firth's bias-reduced (penalised) likelihood. */
  method: "ml" | "firth";
}

/** Options: Firth's correction, and names for the columns in warnings. */
export interface LogisticOptions {
  firth?: boolean;
  names?: readonly string[];
}

/** R's glm.control(): epsilon and maxit. */
const EPSILON = 1e-8;
const MAX_ITERATIONS = 25;
/** Firth's iterations stop when no coefficient moves more than this (brglm2 run at 1e-12 for the fixtures). */
const FIRTH_TOLERANCE = 1e-11;
const FIRTH_MAX_ITERATIONS = 200;
/** A column whose part not explained by earlier columns is below this share of its length is aliased (R: 1e-7 in qr()). */
const ALIAS_TOLERANCE = 1e-7;
/** Fitted probabilities this close to 0 or 1, with a coefficient whose standard error is this large, mean separation. */
const FITTED_EDGE = 1e-8;
const SEPARATED_SE = 10;

/**
 * Logistic regression of a 0/1 outcome on the columns of X (which include the intercept).
 *
 * Without `firth`, maximum likelihood by iteratively reweighted least squares exactly as R's
 * `glm(y ~ X - 1, family = binomial)` runs it (same start, convergence test and final weights,
 * so coefficients, standard errors, z, p and deviance match R to 1e-6 relative), with Wald
 * intervals as `confint.default`. With `firth: true`, Firth's penalised likelihood (the Jeffreys
 * prior), which for the logit link is what `brglm2::brglmFit(type = "AS_mean")` estimates:
 * finite estimates even under separation, and less bias with rare events.
 *
 * Columns that are linear combinations of earlier ones are left out (NaN, like R's NA) with a
 * warning. Separation (a predictor that splits the outcomes, or a category with no event) and
 * non-convergence set `converged: false` and name the predictor: the maximum-likelihood
 * estimates are then not finite, whatever number the iterations stopped at.
 *
 * Linear algebra: ml-matrix's Cholesky decomposition of X'WX (symmetric positive definite once
 * aliased columns are out) for every solve and the covariance.
 */
export function logisticRegression(X: number[][], y: number[], options: LogisticOptions = {}): LogisticFit {
  validate(X, y);
  const columns = X[0]!.length;
  const name = (j: number) => (options.names?.[j] !== undefined ? `column ${j + 1} (${options.names[j]})` : `column ${j + 1}`);
  const aliased = aliasedColumns(X);
  const kept = Array.from({ length: columns }, (_, j) => j).filter((j) => !aliased.includes(j));
  const design = new Matrix(X.map((row) => kept.map((j) => row[j]!)));
  const fit = options.firth ? firth(design, y) : maximumLikelihood(design, y);
  const warnings = aliased.map((j) => `${name(j)} is a linear combination of the columns before it: left out (R gives NA)`);
  const z = fit.beta.map((b, i) => b / fit.se[i]!);
  const separated = options.firth ? [] : separatedColumns(fit, design);
  if (!fit.converged) warnings.push(`the fit did not converge in ${fit.iterations} iterations`);
  for (const i of separated) warnings.push(`${name(kept[i]!)} separates the outcomes (its estimate runs off to infinity): use Firth's correction`);
  const expand = (values: number[]) => {
    const out = new Array<number>(columns).fill(Number.NaN);
    kept.forEach((j, i) => (out[j] = values[i]!));
    return out;
  };
  const q = normalQuantile975();
  return {
    coefficients: expand(fit.beta),
    standardErrors: expand(fit.se),
    z: expand(z),
    p: expand(z.map((value) => 2 * normalUpperTail(Math.abs(value)))),
    oddsRatios: expand(fit.beta.map(Math.exp)),
    lower95: expand(fit.beta.map((b, i) => Math.exp(b - q * fit.se[i]!))),
    upper95: expand(fit.beta.map((b, i) => Math.exp(b + q * fit.se[i]!))),
    deviance: fit.deviance,
    iterations: fit.iterations,
    converged: fit.converged && separated.length === 0,
    warnings,
    aliased,
    separated: separated.map((i) => kept[i]!),
    method: options.firth ? "firth" : "ml",
  };
}

interface Fit {
  beta: number[];
  se: number[];
  mu: number[];
  deviance: number;
  iterations: number;
  converged: boolean;
}

/** R's glm.fit for the binomial family, logit link, unit weights. */
function maximumLikelihood(X: Matrix, y: number[]): Fit {
  let mu = y.map((v) => (v + 0.5) / 2);
  let eta = mu.map((m) => Math.log(m / (1 - m)));
  let devold = deviance(y, mu);
  let beta: number[] = [];
  let information: Matrix | undefined;
  let iterations = 0;
  let converged = false;
  for (iterations = 1; iterations <= MAX_ITERATIONS; iterations++) {
    // Working response and weights from the current fit; R's summary uses the last of these weights.
    const w = mu.map((m, i) => muEta(eta[i]!) ** 2 / (m * (1 - m)));
    const working = eta.map((e, i) => e + (y[i]! - mu[i]!) / muEta(e));
    information = weighted(X, w);
    beta = solve(information, X.transpose().mmul(Matrix.columnVector(working.map((value, i) => value * w[i]!))));
    eta = X.mmul(Matrix.columnVector(beta)).getColumn(0);
    mu = eta.map(linkInverse);
    const dev = deviance(y, mu);
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < EPSILON) {
      converged = true;
      devold = dev;
      break;
    }
    devold = dev;
  }
  iterations = Math.min(iterations, MAX_ITERATIONS);
  return { beta, se: standardErrors(information!), mu, deviance: devold, iterations, converged };
}

/**
 * Firth's penalised likelihood for the logit link: modified-score (quasi-Fisher) steps
 * β += (X'WX)⁻¹ X'(y − μ + h(½ − μ)), h the hat values, halved while the penalised
 * log-likelihood would fall. Starts from zero: the estimate is unique and finite.
 */
function firth(X: Matrix, y: number[]): Fit {
  let beta = new Array<number>(X.columns).fill(0);
  let mu = y.map(() => 0.5);
  let penalised = penalisedLogLikelihood(X, y, beta);
  let iterations = 0;
  let converged = false;
  for (iterations = 1; iterations <= FIRTH_MAX_ITERATIONS; iterations++) {
    const w = mu.map((m) => m * (1 - m));
    const information = weighted(X, w);
    const inverse = inverseOf(information);
    const hat = X.to2DArray().map((row, i) => {
      const x = Matrix.rowVector(row);
      return w[i]! * x.mmul(inverse).mmul(x.transpose()).get(0, 0);
    });
    const score = X.transpose().mmul(Matrix.columnVector(y.map((v, i) => v - mu[i]! + hat[i]! * (0.5 - mu[i]!))));
    const step = inverse.mmul(score).getColumn(0);
    let factor = 1;
    let next = beta.map((b, i) => b + step[i]!);
    let nextPenalised = penalisedLogLikelihood(X, y, next);
    for (let halving = 0; halving < 30 && !(nextPenalised >= penalised - 1e-12); halving++) {
      factor /= 2;
      next = beta.map((b, i) => b + factor * step[i]!);
      nextPenalised = penalisedLogLikelihood(X, y, next);
    }
    beta = next;
    penalised = nextPenalised;
    mu = X.mmul(Matrix.columnVector(beta)).getColumn(0).map(linkInverse);
    if (Math.max(...step.map((s) => Math.abs(s * factor))) < FIRTH_TOLERANCE) {
      converged = true;
      break;
    }
  }
  iterations = Math.min(iterations, FIRTH_MAX_ITERATIONS);
  const information = weighted(X, mu.map((m) => m * (1 - m)));
  return { beta, se: standardErrors(information), mu, deviance: deviance(y, mu), iterations, converged };
}

/** log L(β) + ½ log |X'WX|: what Firth's estimate maximises. */
function penalisedLogLikelihood(X: Matrix, y: number[], beta: number[]): number {
  const eta = X.mmul(Matrix.columnVector(beta)).getColumn(0);
  let logLikelihood = 0;
  const w: number[] = [];
  eta.forEach((e, i) => {
    // log(1 + e^η) without overflow.
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    logLikelihood += y[i]! * e - softplus;
    const m = linkInverse(e);
    w.push(m * (1 - m));
  });
  const cholesky = new CholeskyDecomposition(weighted(X, w));
  if (!cholesky.isPositiveDefinite()) return Number.NEGATIVE_INFINITY;
  const L = cholesky.lowerTriangularMatrix;
  let logDeterminant = 0;
  for (let i = 0; i < L.rows; i++) logDeterminant += 2 * Math.log(L.get(i, i));
  return logLikelihood + 0.5 * logDeterminant;
}

/** X'WX for diagonal weights w, exactly symmetric (each pair summed once, mirrored). */
function weighted(X: Matrix, w: number[]): Matrix {
  const p = X.columns;
  const rows = X.to2DArray();
  const out = new Matrix(p, p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) sum += w[i]! * rows[i]![a]! * rows[i]![b]!;
      out.set(a, b, sum);
      out.set(b, a, sum);
    }
  }
  return out;
}

function solve(information: Matrix, right: Matrix): number[] {
  return new CholeskyDecomposition(information).solve(right).getColumn(0);
}

function inverseOf(information: Matrix): Matrix {
  return new CholeskyDecomposition(information).solve(Matrix.eye(information.rows));
}

function standardErrors(information: Matrix): number[] {
  const inverse = inverseOf(information);
  return Array.from({ length: information.rows }, (_, i) => Math.sqrt(inverse.get(i, i)));
}

/** R's binomial deviance: 2 Σ y log(y/μ) + (1 − y) log((1 − y)/(1 − μ)). */
function deviance(y: number[], mu: number[]): number {
  let total = 0;
  y.forEach((v, i) => {
    const m = mu[i]!;
    total += 2 * (v === 1 ? -Math.log(m) : -Math.log(1 - m));
  });
  return total;
}

/** R's logit inverse, clamped as its C code clamps it (μ stays within machine epsilon of 0 and 1). */
function linkInverse(eta: number): number {
  const t = eta < -30 ? Number.EPSILON : eta > 30 ? 1 / Number.EPSILON : Math.exp(eta);
  return t / (1 + t);
}

/** dμ/dη, clamped as R clamps it. */
function muEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > 30 || eta < -30 ? Number.EPSILON : Math.exp(eta) / (opexp * opexp);
}

/** Columns that earlier columns already explain (Gram-Schmidt in column order, as R's pivoting QR keeps order). */
function aliasedColumns(X: number[][]): number[] {
  const basis: number[][] = [];
  const aliased: number[] = [];
  for (let j = 0; j < X[0]!.length; j++) {
    const column = X.map((row) => row[j]!);
    const norm = Math.hypot(...column);
    const residual = column.slice();
    for (const q of basis) {
      const dot = residual.reduce((sum, value, i) => sum + value * q[i]!, 0);
      for (let i = 0; i < residual.length; i++) residual[i]! -= dot * q[i]!;
    }
    const left = Math.hypot(...residual);
    if (norm === 0 || left < ALIAS_TOLERANCE * norm) aliased.push(j);
    else basis.push(residual.map((value) => value / left));
  }
  return aliased;
}

/**
 * Columns whose maximum-likelihood estimate is running off to infinity: fitted probabilities at
 * 0 or 1, and a huge standard error. The intercept (a constant column) is named only when no
 * predictor is.
 */
function separatedColumns(fit: Fit, X: Matrix): number[] {
  const atEdge = fit.mu.some((m) => m < FITTED_EDGE || m > 1 - FITTED_EDGE);
  if (!atEdge && fit.converged) return [];
  const huge = fit.se.map((se, i) => (se > SEPARATED_SE ? i : -1)).filter((i) => i >= 0);
  const constant = (j: number) => X.getColumn(j).every((value, _, all) => value === all[0]);
  const predictors = huge.filter((j) => !constant(j));
  return predictors.length > 0 ? predictors : huge;
}

function validate(X: number[][], y: number[]): void {
  if (X.length === 0 || X.length !== y.length) throw new StatisticsInputError(`X has ${X.length} rows and y ${y.length} values: they must match and not be empty`);
  const columns = X[0]!.length;
  if (columns === 0) throw new StatisticsInputError("X has no columns (it should include the intercept)");
  X.forEach((row, i) => {
    if (row.length !== columns) throw new StatisticsInputError(`row ${i + 1} of X has ${row.length} values, not ${columns}`);
    if (row.some((value) => !Number.isFinite(value))) throw new StatisticsInputError(`row ${i + 1} of X has a value that is not a finite number`);
  });
  y.forEach((value, i) => {
    if (value !== 0 && value !== 1) throw new StatisticsInputError(`y[${i}] is ${value}: the outcome must be 0 or 1`);
  });
}
