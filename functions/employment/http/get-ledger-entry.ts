/** GET /ledger/entries/{id} — one entry with its household and its verified history. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeGetLedgerEntry, productionLedgerDependencies } from './ledger.js';

export const handler = builtOnFirstCall(() => makeGetLedgerEntry(productionLedgerDependencies()));
