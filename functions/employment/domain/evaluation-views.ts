/** How an approved evaluation is published to the city's staff: its full-employment communities, with each criterion's result. */
import type { Evaluation } from './full-employment.js';

export function publishedCommunities(evaluation: Evaluation) {
  return {
    cityId: evaluation.cityId,
    year: evaluation.year,
    approvedAt: evaluation.approvedAt,
    criteria: evaluation.criteria,
    communities: evaluation.standings
      .filter((s) => s.fullEmployment)
      .map((s) => ({ communityId: s.communityId, communityName: s.communityName, criteria: s.criteria })),
  };
}
/** The answer of `GET /full-employment-communities/{year}`. */
export type PublishedCommunities = ReturnType<typeof publishedCommunities>;
