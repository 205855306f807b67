/** GET /full-employment-communities/{year}.csv — the published list as CSV. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makePublishedCommunitiesCsv } from './evaluations.js';
import { productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makePublishedCommunitiesCsv(productionFullEmploymentDependencies()));
