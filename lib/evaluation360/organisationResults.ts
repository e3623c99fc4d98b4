import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults, OrganisationResults } from "./evaluationResultsSchema.ts";
import type { OrganisationScores, RatingSum } from "./organisationScores.ts";
import { ragBand, toOneDecimal } from "./ragBand.ts";

/** How many strengths and development areas a report names. */
export const HIGHLIGHTS = 5;

type StatementResult = OrganisationResults["statements"][number];
type Figure = StatementResult["score"];

/**
 * One included organisation's personalised results: its score on each statement beside the
 * national and regional averages and its own score last year, broken down by respondent type.
 *
 * Anonymity (the organisation knows its own self-assessment):
 * - a respondent type's figure (the self-assessment apart) needs at least
 *   `minimumRespondentsPerType` ratings;
 * - since the organisation's overall score less its self-assessment and the shown types gives
 *   the withheld types together, the smallest shown types are withheld too until the withheld
 *   ones have that many ratings between them;
 * - the overall score itself is withheld when fewer than that many respondents besides the
 *   self-assessment rated the statement (it would give away their ratings);
 * - withheld types whose ratings, together, are all the top rating or all the bottom one
 *   would each be known from the overall score: more types are withheld, smallest first, and
 *   when no choice of types avoids it, the overall score too;
 * - beside a withheld type, a statement's figures carry their one-decimal values and counts,
 *   never the unrounded means that would give the withheld ratings' sum.
 */
export function organisationResults(
  config: EvaluationConfig,
  organisation: OrganisationScores,
  national: EvaluationResults,
  previous: OrganisationResults | undefined,
): OrganisationResults {
  const registered = config.organisations.find((o) => o.id === organisation.id)!;
  const statements = statementResults(config, organisation, national, previous);
  return {
    schemaVersion: 1,
    kind: "evaluation360-organisation",
    cycle: national.cycle,
    organisation: { id: registered.id, name: registered.name, ...(registered.region ? { region: registered.region } : {}) },
    respondents: respondentCounts(config, organisation),
    statements: statements.map(roundedBesideWithheld),
    themes: themeScores(config, statements, national),
    ...highlights(statements, national),
    minimumRespondentsPerType: config.minimumRespondentsPerType,
    provenance: { generation: national.provenance.generation, computedAt: national.provenance.computedAt, codeVersion: national.provenance.codeVersion },
  };
}

/**
 * Each statement's row: the organisation's score (withheld when too few besides the
 * self-assessment rated it), its RAG band, the figures by respondent type, the national and
 * regional averages, and last year's score with the change since.
 */
function statementResults(config: EvaluationConfig, organisation: OrganisationScores, national: EvaluationResults, previous: OrganisationResults | undefined): StatementResult[] {
  const minimum = config.minimumRespondentsPerType;
  const self = config.inclusion.selfAssessment;
  const registered = config.organisations.find((o) => o.id === organisation.id)!;
  const region = national.regions.find((r) => r.region === registered.region);
  const before = new Map(previous?.statements.map((s) => [s.number, s.score.value]));
  return config.statements.map((statement) => {
    const scores = organisation.statements.get(statement.number)!;
    const othersRated = scores.all.n - (scores.byType.get(self)?.n ?? 0);
    const byType = typeFigures(config, scores.byType);
    const score: Figure =
      othersRated < minimum
        ? withheld(`fewer than ${minimum} respondents besides the self-assessment rated it`)
        : pinsWithheldRatings(config, scores.byType, byType)
          ? withheld("withheld because, with the figures shown, it would give away the ratings of the respondents withheld")
          : shown(scores.all);
    const nationalFigure = national.statements.find((s) => s.number === statement.number)!;
    const last = before.get(statement.number) ?? null;
    return {
      number: statement.number,
      theme: statement.theme,
      text: statement.text,
      score,
      rag: score.unrounded === null ? null : ragBand(score.unrounded, config.rag).id,
      byType,
      national: nationalFigure.nationalAverage,
      regional: region && !region.suppressed ? (region.averages[String(statement.number)] ?? null) : null,
      previous: last,
      change: score.value !== null && last !== null ? toOneDecimal(score.value - last) : null,
    };
  });
}

/**
 * Whether the withheld types' ratings, which the overall score less the shown types gives
 * together, are all the top rating or all the bottom one (so each is known).
 */
function pinsWithheldRatings(config: EvaluationConfig, sums: Map<string, RatingSum>, figures: StatementResult["byType"]): boolean {
  const hidden = figures.filter((f) => f.suppressed).map((f) => sums.get(f.type) ?? { n: 0, sum: 0 });
  return extremeTogether(config, hidden);
}

/** Whether some ratings, taken together, are all the scale's top rating or all its bottom one. */
function extremeTogether(config: EvaluationConfig, sums: readonly RatingSum[]): boolean {
  const n = sums.reduce((total, s) => total + s.n, 0);
  const sum = sums.reduce((total, s) => total + s.sum, 0);
  const values = config.scale.ratings.map((r) => r.value);
  return n > 0 && (sum === n * Math.min(...values) || sum === n * Math.max(...values));
}

/**
 * A statement's figure for each respondent type: the self-assessment always shown; another
 * type withheld under the minimum number of ratings, and then the smallest shown types too
 * until the withheld ones have that many ratings between them, not all at the top or the
 * bottom of the scale.
 */
function typeFigures(config: EvaluationConfig, byType: Map<string, RatingSum>): StatementResult["byType"] {
  const threshold = config.minimumRespondentsPerType;
  const figures = config.respondentTypes.map((type) => {
    const sum = byType.get(type.id) ?? { n: 0, sum: 0 };
    const exempt = type.id === config.inclusion.selfAssessment;
    return { type: type.id, sum, hidden: !exempt && sum.n > 0 && sum.n < threshold, exempt, why: `fewer than ${threshold} ratings` };
  });
  const hiddenRatings = () => figures.filter((f) => f.hidden).reduce((total, f) => total + f.sum.n, 0);
  const pinned = () => extremeTogether(config, figures.filter((f) => f.hidden).map((f) => f.sum));
  if (figures.some((f) => f.hidden)) {
    const candidates = figures.filter((f) => !f.hidden && !f.exempt && f.sum.n > 0).sort((a, b) => a.sum.n - b.sum.n);
    while ((hiddenRatings() < threshold || pinned()) && candidates.length > 0) {
      const next = candidates.shift()!;
      next.hidden = true;
      next.why = "withheld so that a smaller group's ratings cannot be worked out from the others";
    }
  }
  return figures.map((f) => ({ type: f.type, ...(f.hidden ? withheld(f.why) : f.sum.n === 0 ? { value: null, unrounded: null, n: 0, suppressed: false } : shown(f.sum)) }));
}

/** How many of each respondent type responded; a small count of a type other than the self-assessment is withheld. */
function respondentCounts(config: EvaluationConfig, organisation: OrganisationScores): OrganisationResults["respondents"] {
  const minimum = config.minimumRespondentsPerType;
  return config.respondentTypes.map((type) => {
    const count = organisation.respondents[type.id] ?? 0;
    const hidden = type.id !== config.inclusion.selfAssessment && count > 0 && count < minimum;
    return { type: type.id, label: type.label, count: hidden ? null : count, suppressed: hidden };
  });
}

/** Each theme's score: the mean of the organisation's shown statement scores in it, beside the mean of their national averages. */
function themeScores(config: EvaluationConfig, statements: readonly StatementResult[], national: EvaluationResults): OrganisationResults["themes"] {
  return config.themes.map((theme) => {
    const own = statements.filter((s) => s.theme === theme.id);
    const values = own.map((s) => s.score.unrounded).filter((v): v is number => v !== null);
    const nationals = own.map((s) => national.statements.find((n) => n.number === s.number)!.unrounded.nationalAverage).filter((v): v is number => v !== null);
    return { id: theme.id, title: theme.title, score: mean(values), national: mean(nationals) };
  });
}

/** The statements furthest above the national average (strengths) and furthest below it (development areas). */
function highlights(statements: readonly StatementResult[], national: EvaluationResults): Pick<OrganisationResults, "strengths" | "developmentAreas"> {
  const gaps = statements
    .filter((s) => s.score.unrounded !== null && s.national !== null)
    .map((s) => ({ number: s.number, gap: s.score.unrounded! - national.statements.find((n) => n.number === s.number)!.unrounded.nationalAverage! }));
  return {
    strengths: gaps.filter((g) => g.gap > 0).sort((a, b) => b.gap - a.gap || a.number - b.number).slice(0, HIGHLIGHTS).map((g) => g.number),
    developmentAreas: gaps.filter((g) => g.gap < 0).sort((a, b) => a.gap - b.gap || a.number - b.number).slice(0, HIGHLIGHTS).map((g) => g.number),
  };
}

/** A statement's figures as published: one decimal only (no unrounded means) when a type is withheld beside them. */
function roundedBesideWithheld(statement: StatementResult): StatementResult {
  if (!statement.byType.some((f) => f.suppressed)) return statement;
  return { ...statement, score: { ...statement.score, unrounded: null }, byType: statement.byType.map((f) => ({ ...f, unrounded: null })) };
}

function shown(sum: RatingSum): Figure {
  if (sum.n === 0) return { value: null, unrounded: null, n: 0, suppressed: false };
  const unrounded = sum.sum / sum.n;
  return { value: toOneDecimal(unrounded), unrounded, n: sum.n, suppressed: false };
}

function withheld(reason: string): Figure {
  return { value: null, unrounded: null, n: null, suppressed: true, reason };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : toOneDecimal(values.reduce((a, b) => a + b, 0) / values.length);
}
