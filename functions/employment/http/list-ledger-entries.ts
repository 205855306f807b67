/** GET /ledger/entries — a community's ledger (filter by status, zero-employment families). */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeListLedgerEntries, productionLedgerDependencies } from './ledger.js';

export const handler = builtOnFirstCall(() => makeListLedgerEntries(productionLedgerDependencies()));
