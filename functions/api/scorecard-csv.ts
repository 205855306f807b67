/** GET /scorecard.csv — the same scorecard as CSV (UTF-8 with BOM). */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { makeScorecardCsv, productionFullEmploymentDependencies } from './full-employment.js';

export const handler = builtOnFirstCall(() => makeScorecardCsv(productionFullEmploymentDependencies()));
