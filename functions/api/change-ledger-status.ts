/** POST /ledger/entries/{id}/changes — a status change with its date and evidence. */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { makeChangeLedgerStatus, productionLedgerDependencies } from './employment-ledger.js';

export const handler = builtOnFirstCall(() => makeChangeLedgerStatus(productionLedgerDependencies()));
