/**
 * `npm run ledger:rebuild`: recomputes the employment ledger's month counters from the ledger's
 * history events and replaces the stored ones, then says whether they had differed. Unlike the
 * throughput rebuild it is an offline repair: run it while nobody records ledger changes
 * (functions/employment/store/ledger-counters.ts, `rebuildLedgerCounters`). Which table: `script-table.ts`.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  ledgerCountersFromEvents,
  rebuildLedgerCounters,
  storedLedgerCounters,
} from '../functions/employment/store/ledger-counters.js';
import { openScriptTable } from './script-table.js';

const { table, close } = await openScriptTable();
try {
  const started = Date.now();
  const same = isDeepStrictEqual(await storedLedgerCounters(table), await ledgerCountersFromEvents(table));
  const { items } = await rebuildLedgerCounters(table);
  console.log(
    `rebuilt ${items} ledger counter items of ${table.tableName} from the ledger's events in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      (same ? 'they equalled the stored ones' : 'the stored ones had differed and were replaced'),
  );
} finally {
  await close();
}
