/** GET /scorecard — the full-employment scorecard of a unit for a month or a year. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeScorecard, productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeScorecard(productionFullEmploymentDependencies()));
