import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults, OrganisationResults } from "./evaluationResultsSchema.ts";
import type { OrganisationScores, RatingSum } from "./organisationScores.ts";
import { ragBand, toOneDecimal } from "./ragBand.ts";

/** How many strengths and development areas a report names. */
const HIGHLIGHTS = 5;

type Figure = OrganisationResults["statements"][number]["score"];

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
 *   self-assessment rated the statement (it would give away their ratings).
 */
export function organisationResults(
  config: EvaluationConfig,
  organisation: OrganisationScores,
  national: EvaluationResults,
  previous: OrganisationResults | undefined,
): OrganisationResults {
  const minimum = config.minimumRespondentsPerType;
  const self = config.inclusion.selfAssessment;
  const registered = config.organisations.find((o) => o.id === organisation.id)!;
  const region = national.regions.find((r) => r.region === registered.region);
  const before = new Map(previous?.statements.map((s) => [s.number, s.score.value]));
  const statements = config.statements.map((statement) => {
    const scores = organisation.statements.get(statement.number)!;
    const othersRated = scores.all.n - (scores.byType.get(self)?.n ?? 0);
    const score: Figure =
      othersRated >= minimum
        ? shown(scores.all)
        : withheld(`fewer than ${minimum} respondents besides the self-assessment rated it`);
    const byType = typeFigures(config, scores.byType, minimum);
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
  const gaps = statements
    .filter((s) => s.score.unrounded !== null && s.national !== null)
    .map((s) => ({ number: s.number, gap: s.score.unrounded! - national.statements.find((n) => n.number === s.number)!.unrounded.nationalAverage! }));
  return {
    schemaVersion: 1,
    kind: "evaluation360-organisation",
    cycle: national.cycle,
    organisation: { id: registered.id, name: registered.name, ...(registered.region ? { region: registered.region } : {}) },
    respondents: config.respondentTypes.map((type) => {
      const count = organisation.respondents[type.id] ?? 0;
      const hidden = type.id !== self && count > 0 && count < minimum;
      return { type: type.id, label: type.label, count: hidden ? null : count, suppressed: hidden };
    }),
    statements,
    themes: config.themes.map((theme) => {
      const own = statements.filter((s) => s.theme === theme.id);
      const values = own.map((s) => s.score.unrounded).filter((v): v is number => v !== null);
      const nationals = own.map((s) => national.statements.find((n) => n.number === s.number)!.unrounded.nationalAverage).filter((v): v is number => v !== null);
      return { id: theme.id, title: theme.title, score: mean(values), national: mean(nationals) };
    }),
    strengths: gaps.filter((g) => g.gap > 0).sort((a, b) => b.gap - a.gap || a.number - b.number).slice(0, HIGHLIGHTS).map((g) => g.number),
    developmentAreas: gaps.filter((g) => g.gap < 0).sort((a, b) => a.gap - b.gap || a.number - b.number).slice(0, HIGHLIGHTS).map((g) => g.number),
    minimumRespondentsPerType: minimum,
    provenance: { generation: national.provenance.generation, computedAt: national.provenance.computedAt, codeVersion: national.provenance.codeVersion },
  };

  function typeFigures(cycle: EvaluationConfig, byType: Map<string, RatingSum>, threshold: number) {
    const figures = cycle.respondentTypes.map((type) => {
      const sum = byType.get(type.id) ?? { n: 0, sum: 0 };
      const exempt = type.id === self;
      return { type: type.id, sum, hidden: !exempt && sum.n > 0 && sum.n < threshold, exempt, why: `fewer than ${threshold} ratings` };
    });
    const hiddenRatings = () => figures.filter((f) => f.hidden).reduce((total, f) => total + f.sum.n, 0);
    if (figures.some((f) => f.hidden)) {
      const candidates = figures.filter((f) => !f.hidden && !f.exempt && f.sum.n > 0).sort((a, b) => a.sum.n - b.sum.n);
      while (hiddenRatings() < threshold && candidates.length > 0) {
        const next = candidates.shift()!;
        next.hidden = true;
        next.why = "withheld so that a smaller group's ratings cannot be worked out from the others";
      }
    }
    return figures.map((f) => ({ type: f.type, ...(f.hidden ? withheld(f.why) : f.sum.n === 0 ? { value: null, unrounded: null, n: 0, suppressed: false } : shown(f.sum)) }));
  }
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
