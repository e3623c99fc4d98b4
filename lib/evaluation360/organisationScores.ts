import type { EvaluationResponse } from "./evaluationBatch.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";

/** Ratings of one statement by one kind of respondent (or everyone): how many, and their sum. */
export interface RatingSum {
  n: number;
  sum: number;
}

/** One organisation's responses, counted towards inclusion and scored per statement. */
export interface OrganisationScores {
  id: string;
  /** Responses submitted by the cut-off, by respondent type. */
  respondents: Record<string, number>;
  /** Responses submitted after the cut-off: left out of everything. */
  late: number;
  /** Whether it meets the inclusion criteria, and if not why. */
  included: boolean;
  exclusion?: "no-self-assessment" | "too-few-other-respondents";
  /**
   * Per statement number: the organisation's score (the mean of all its ratings; 0 or
   * undefined when nobody rated it, as the cycle's `unrated` says) and the ratings by type.
   */
  statements: Map<number, { score: number | undefined; all: RatingSum; byType: Map<string, RatingSum> }>;
}

/** Whether a response counts: submitted by the cut-off (YYYYMMDD), when the cycle has one. */
export function submittedInTime(submitted: number, cutOff: string | undefined): boolean {
  return cutOff === undefined || submitted <= Number(cutOff.replaceAll("-", ""));
}

/**
 * Scores every registered organisation from its responses: responses after the cut-off are
 * left out; an organisation is included when it has a self-assessment and at least the
 * required number of other respondents; its score on a statement is the mean of all its
 * respondents' ratings (each respondent counts once, whatever their type). Organisations with
 * no response at all are returned with no respondents. Ratings come in the cycle's statement order.
 */
export function organisationScores(config: EvaluationConfig, responses: readonly EvaluationResponse[]): OrganisationScores[] {
  const byOrganisation = new Map<string, OrganisationScores>(
    config.organisations.map((organisation) => [organisation.id, { id: organisation.id, respondents: {}, late: 0, included: false, statements: new Map() }]),
  );
  for (const organisation of byOrganisation.values()) {
    for (const statement of config.statements) organisation.statements.set(statement.number, { score: undefined, all: { n: 0, sum: 0 }, byType: new Map() });
  }
  for (const response of responses) {
    const organisation = byOrganisation.get(response.organisation);
    if (organisation === undefined) continue;
    if (!submittedInTime(response.submitted, config.inclusion.submittedBy)) {
      organisation.late++;
      continue;
    }
    organisation.respondents[response.respondentType] = (organisation.respondents[response.respondentType] ?? 0) + 1;
    for (let index = 0; index < config.statements.length; index++) {
      const statement = config.statements[index]!;
      const rating = response.ratings[index] ?? 0;
      if (rating === 0) continue;
      const scores = organisation.statements.get(statement.number)!;
      scores.all.n++;
      scores.all.sum += rating;
      const typed = scores.byType.get(response.respondentType) ?? { n: 0, sum: 0 };
      typed.n++;
      typed.sum += rating;
      scores.byType.set(response.respondentType, typed);
    }
  }
  const self = config.inclusion.selfAssessment;
  for (const organisation of byOrganisation.values()) {
    const others = Object.entries(organisation.respondents).reduce((total, [type, count]) => total + (type === self ? 0 : count), 0);
    if ((organisation.respondents[self] ?? 0) === 0) organisation.exclusion = "no-self-assessment";
    else if (others < config.inclusion.minimumOtherRespondents) organisation.exclusion = "too-few-other-respondents";
    organisation.included = organisation.exclusion === undefined;
    for (const scores of organisation.statements.values()) {
      scores.score = scores.all.n > 0 ? scores.all.sum / scores.all.n : config.unrated === "zero" ? 0 : undefined;
    }
  }
  return [...byOrganisation.values()];
}

/** True when the organisation sent anything at all (in time or late). */
export function sentAnything(organisation: OrganisationScores): boolean {
  return organisation.late > 0 || Object.keys(organisation.respondents).length > 0;
}
