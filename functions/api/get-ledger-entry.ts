/** GET /ledger/entries/{id} — one entry with its household and its verified history. */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { makeGetLedgerEntry, productionLedgerDependencies } from './employment-ledger.js';

export const handler = builtOnFirstCall(() => makeGetLedgerEntry(productionLedgerDependencies()));
