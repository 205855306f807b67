/** POST /evaluations/{year}/approval — a city approver approves the list, once. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeApproveEvaluation } from './evaluations.js';
import { productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeApproveEvaluation(productionFullEmploymentDependencies()));
