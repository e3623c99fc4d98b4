import { StatisticsInputError } from "./statisticsInputError.ts";

/** A respondent's answers, by variable; a value is matched to a margin's categories as text (`String(value)`). */
export type RakeRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** One margin: a variable and the population total of each of its categories. */
export interface RakeMargin {
  variable: string;
  population: Readonly<Record<string, number>>;
}

/** R's `control = list(epsilon, maxit)`, and the weights raking starts from (R: the design's sampling weights). */
export interface RakeOptions {
  /** Below 1, a share of the sum of the starting weights; 1 or more, a weight. R's default: 1. */
  epsilon?: number;
  /** The most sweeps (R's `maxit`); default 10. */
  maxIterations?: number;
  /** One positive weight a row; default 1 each. */
  baseWeights?: readonly number[];
}

/**
 * One post-stratification of the sweep raking ended with: what a standard error for the raked
 * design needs (R's `attr(index, "weights")` in `design$postStrata`).
 */
export interface RakeStep {
  variable: string;
  /** The margin's categories, in the order the margin lists them. */
  categories: string[];
  /** Each row's category, as a position in `categories`. */
  index: number[];
  /** Each row's weight just after this post-stratification. */
  weights: number[];
}

/** Raked weights, the sweeps run, whether they converged, and the last sweep's steps. */
export interface RakeResult {
  weights: number[];
  /** Sweeps run, the converging one included (R's own counter, `iter`, is one less when it converges). */
  iterations: number;
  converged: boolean;
  steps: RakeStep[];
  warnings: string[];
}

/** A margin read against the rows: each row's category and the population totals, in the margin's order. */
interface ClassifiedMargin {
  variable: string;
  categories: string[];
  totals: number[];
  index: number[];
}

/**
 * Rakes weights to population margins by iterative proportional fitting, exactly as R's
 * `survey::rake(design, list(~a, ~b), list(popA, popB), control = list(epsilon, maxit))` on
 * `svydesign(ids = ~1, weights = baseWeights)`.
 *
 * Each sweep post-stratifies on each margin in turn (every row's weight times its category's
 * population total over the category's weighted total). After each sweep, delta is the largest
 * absolute change in any cell of the weighted table that crosses all the margin variables
 * (R: `max(abs(oldtable - newtable))` with `svytable(~a + b, design)`); raking has converged
 * when delta is below epsilon × (sum of the starting weights) for epsilon < 1, or below epsilon
 * otherwise. After `maxIterations` sweeps without that it stops with a warning, as R does.
 *
 * `steps` are the last sweep's post-stratifications, one per margin, in order, each with every
 * row's category and its weight just after that step. That is what R keeps for the variance:
 * `rake` empties `design$postStrata` at the start of every sweep, so only the last sweep's are
 * kept (as one "raking" entry), and `svyrecvar` takes, ten times over, for each of those steps,
 * `x <- x - psw * ave(x / psw, index)` with `psw = attr(index, "weights")`.
 *
 * Margins whose population totals differ are raked anyway, as R does (the weights then sum to
 * the last margin's total and earlier margins are met only in proportion); R says nothing, this
 * warns. A margin category with no respondent, a respondent in a category the margin lacks or
 * with no value, a population total that is not positive and a starting weight that is not
 * positive and finite throw {@link StatisticsInputError}, naming the variable and category.
 *
 * @example
 * rake([{ region: "x", employer: "p" }, { region: "x", employer: "q" }, { region: "y", employer: "p" }, { region: "y", employer: "q" }],
 *      [{ variable: "region", population: { x: 600, y: 400 } }, { variable: "employer", population: { p: 700, q: 300 } }]).weights
 * // [420, 180, 280, 120] (converged in 2 sweeps: the second changes nothing)
 */
export function rake(rows: readonly RakeRow[], margins: readonly RakeMargin[], options: RakeOptions = {}): RakeResult {
  const { epsilon, maxIterations, baseWeights } = readOptions(options, rows.length);
  if (margins.length === 0) throw new StatisticsInputError("raking needs at least one margin");
  const classified = margins.map((margin) => classify(rows, margin));
  const cells = jointCells(classified, rows.length);
  const threshold = epsilon < 1 ? epsilon * sum(baseWeights) : epsilon;
  const warnings = differingTotals(classified);
  let weights = [...baseWeights];
  let table = cellTotals(cells, weights);
  let steps: RakeStep[] = [];
  for (let sweep = 1; sweep <= maxIterations; sweep++) {
    steps = classified.map((margin) => {
      weights = postStratify(weights, margin);
      return { variable: margin.variable, categories: margin.categories, index: margin.index, weights };
    });
    const next = cellTotals(cells, weights);
    const delta = largestChange(table, next);
    if (delta < threshold) return { weights, iterations: sweep, converged: true, steps: copySteps(steps), warnings };
    if (sweep === maxIterations) {
      warnings.push(`raking did not converge after ${sweep} sweeps (R: "Raking did not converge after ${sweep} iterations"): the last sweep changed a cell by ${delta}, against ${threshold}`);
    }
    table = next;
  }
  return { weights, iterations: maxIterations, converged: false, steps: copySteps(steps), warnings };
}

/** The options with R's defaults, checked. */
function readOptions(options: RakeOptions, rows: number): Required<RakeOptions> {
  const epsilon = options.epsilon ?? 1;
  const maxIterations = options.maxIterations ?? 10;
  const baseWeights = options.baseWeights ?? new Array<number>(rows).fill(1);
  if (!Number.isFinite(epsilon) || epsilon <= 0) throw new StatisticsInputError(`raking's epsilon must be a positive number, got ${epsilon}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new StatisticsInputError(`raking's maxIterations must be a whole number of at least 1, got ${maxIterations}`);
  if (baseWeights.length !== rows) throw new StatisticsInputError(`raking needs one base weight a row: ${baseWeights.length} weights for ${rows} rows`);
  baseWeights.forEach((weight, i) => {
    if (!Number.isFinite(weight) || weight <= 0) throw new StatisticsInputError(`base weights must be positive and finite: row ${i + 1} has ${weight}`);
  });
  return { epsilon, maxIterations, baseWeights };
}

/** Each row's category in the margin, with the margin's totals checked against the rows. */
function classify(rows: readonly RakeRow[], margin: RakeMargin): ClassifiedMargin {
  const { variable } = margin;
  const categories = Object.keys(margin.population);
  if (categories.length === 0) throw new StatisticsInputError(`the margin for ${variable} has no category`);
  const totals = categories.map((category) => margin.population[category]!);
  totals.forEach((total, k) => {
    if (!Number.isFinite(total) || total <= 0) throw new StatisticsInputError(`population totals must be positive: ${variable} "${categories[k]}" has ${total}`);
  });
  const position = new Map(categories.map((category, k) => [category, k]));
  const respondents = new Array<number>(categories.length).fill(0);
  const index = rows.map((row, i) => {
    const value = row[variable];
    if (value === null || value === undefined) throw new StatisticsInputError(`row ${i + 1} has no ${variable}: every respondent needs a category of every margin`);
    const k = position.get(String(value));
    if (k === undefined) throw new StatisticsInputError(`row ${i + 1} is in ${variable} "${String(value)}", a category the margin for ${variable} lacks`);
    respondents[k]! += 1;
    return k;
  });
  const empty = respondents.findIndex((count) => count === 0);
  if (empty >= 0) throw new StatisticsInputError(`${variable} "${categories[empty]}" has no respondent: no weight can reach its population total`);
  return { variable, categories, totals, index };
}

/** A warning when the margins' population totals differ (R rakes anyway, silently). */
function differingTotals(margins: readonly ClassifiedMargin[]): string[] {
  const totals = margins.map((margin) => sum(margin.totals));
  const largest = Math.max(...totals);
  if (totals.every((total) => Math.abs(total - largest) <= 1e-9 * largest)) return [];
  const listed = margins.map((margin, m) => `${margin.variable} ${totals[m]}`).join(", ");
  return [`the margins' population totals differ (${listed}): raked as R does, the weights sum to the last margin's total and earlier margins are met only in proportion`];
}

/** One post-stratification: each row's weight times its category's population total over its weighted total. */
function postStratify(weights: readonly number[], margin: ClassifiedMargin): number[] {
  const weighted = new Array<number>(margin.categories.length).fill(0);
  weights.forEach((weight, i) => (weighted[margin.index[i]!]! += weight));
  const factor = margin.totals.map((total, k) => total / weighted[k]!);
  return weights.map((weight, i) => weight * factor[margin.index[i]!]!);
}

/** Each row's cell in the table crossing every margin variable (R's `svytable(~a + b + …)`). */
function jointCells(margins: readonly ClassifiedMargin[], rows: number): { cell: number[]; count: number } {
  const ids = new Map<string, number>();
  const cell = Array.from({ length: rows }, (_, i) => {
    const key = margins.map((margin) => margin.index[i]).join(",");
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  });
  return { cell, count: ids.size };
}

/** The weighted total of each cell. */
function cellTotals(cells: { cell: number[]; count: number }, weights: readonly number[]): number[] {
  const totals = new Array<number>(cells.count).fill(0);
  weights.forEach((weight, i) => (totals[cells.cell[i]!]! += weight));
  return totals;
}

/** The largest absolute change of any cell (R's delta). */
function largestChange(before: readonly number[], after: readonly number[]): number {
  return before.reduce((largest, value, k) => Math.max(largest, Math.abs(value - after[k]!)), 0);
}

/** Steps the caller may keep and change: their arrays are their own. */
function copySteps(steps: readonly RakeStep[]): RakeStep[] {
  return steps.map((step) => ({ ...step, categories: [...step.categories], index: [...step.index], weights: [...step.weights] }));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
