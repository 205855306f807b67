/** GET /scorecard.csv — the same scorecard as CSV (UTF-8 with BOM). */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeScorecardCsv, productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeScorecardCsv(productionFullEmploymentDependencies()));
