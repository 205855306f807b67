/** GET /full-employment-communities/{year} — the published list. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makePublishedCommunities } from './evaluations.js';
import { productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makePublishedCommunities(productionFullEmploymentDependencies()));
