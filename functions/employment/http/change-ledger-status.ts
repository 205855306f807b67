/** POST /ledger/entries/{id}/changes — a status change with its date and evidence. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeChangeLedgerStatus, productionLedgerDependencies } from './ledger.js';

export const handler = builtOnFirstCall(() => makeChangeLedgerStatus(productionLedgerDependencies()));
