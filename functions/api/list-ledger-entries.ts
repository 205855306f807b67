/** GET /ledger/entries — a community's ledger (filter by status, zero-employment families). */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { makeListLedgerEntries, productionLedgerDependencies } from './employment-ledger.js';

export const handler = builtOnFirstCall(() => makeListLedgerEntries(productionLedgerDependencies()));
