/** POST /evaluations/{year} — the city computes each community's standing with its reasons. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeComputeEvaluation } from './evaluations.js';
import { productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeComputeEvaluation(productionFullEmploymentDependencies()));
