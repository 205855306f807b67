/** GET /evaluations/{year} — the computed (or approved) evaluation, for city roles. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeGetEvaluation } from './evaluations.js';
import { productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeGetEvaluation(productionFullEmploymentDependencies()));
