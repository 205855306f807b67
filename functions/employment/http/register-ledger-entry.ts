/** POST /ledger/entries — community staff register a person in their community's ledger. */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeRegisterLedgerEntry, productionLedgerRegistrationDependencies } from './ledger.js';

export const handler = builtOnFirstCall(async () =>
  makeRegisterLedgerEntry(await productionLedgerRegistrationDependencies()),
);
