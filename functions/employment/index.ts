/**
 * Employment: the ledger of unemployed people and their households, the full-employment
 * scorecard of each community, the annual evaluation and its published list, and the feed that
 * records final approvals in the ledger.
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { ledgerEntryView } from './http/ledger.js';
export { employmentRoutes } from './http/routes.js';
export type { EmploymentLedgerRepository } from './store/employment-ledger.js';
export { employmentLedgerRepository } from './store/employment-ledger.js';
