/** POST /evaluations/{year}/approval — a city approver approves the list, once. */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { makeApproveEvaluation, productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeApproveEvaluation(productionFullEmploymentDependencies()));
