/**
 * `npm start [-- --memory]`: the whole product on 127.0.0.1. Data is kept in .data/ (or in
 * SUBSIDY_DATA_DIR) across restarts, unless --memory.
 */

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  addNextCalendarHint,
  deadlineCalendarDaysLeft,
  holidayCalendarWarningDays,
} from '../functions/applications/domain/deadlines.js';
import { ensureConsoleBuilt } from './console-site.js';
import { JavaMissingError } from './dynamodb-local.js';
import { repositoryRoot, startLocalStack } from './runtime.js';

const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } }, strict: true });
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not ${process.env.PORT}`);
  process.exit(2);
}

const started = Date.now();
try {
  await ensureConsoleBuilt((line) => console.log(line));
  const keptDir = process.env.SUBSIDY_DATA_DIR ?? join(repositoryRoot, '.data');
  const dataDir = values.memory ? undefined : keptDir;
  // The sign-in's key and address are kept even with --memory, so `npm run token` can sign for it.
  const stack = await startLocalStack({ port, dataDir, identityDir: keptDir, seedDemoLedger: true });
  console.log(
    [
      `Employment-subsidy approvals are running at ${stack.apiUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  console:  ${stack.apiUrl}/   (open it at 127.0.0.1, the address the sign-in returns to)`,
      `  data: ${dataDir ? `${dataDir} (kept across restarts)` : `in memory (gone when stopped; the sign-in key stays in ${keptDir})`}`,
      `  resumed ${stack.resumed} application(s) that were waiting`,
      ...(stack.demoLedger?.people
        ? [
            `  seeded the demo employment ledger: ${stack.demoLedger.people} people in ${(stack.demoLedger.ms / 1000).toFixed(1)} s`,
          ]
        : []),
      `  sign in:  ${stack.issuer} (the demo people; ${stack.apiUrl}/oidc/.well-known/openid-configuration)`,
      `  a token:  npm run -s token -- --sub staff-gexin-01   (or --role R --unit U [--sub S] for a made-up person)`,
      `  health:   curl ${stack.apiUrl}/health`,
      `  snapshot files: drop them in ${join(stack.snapshotFiles.dir, 'exchange-snapshots')}/<cityId>/<source>/<asOf>/ (a report is written beside each)`,
      `  data exchange: ${stack.exchange.endpoint} (records as of ${stack.exchange.records.changedOn}; add some: npm run exchange -- put FILE.json)`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  // What the AWS alarm says, for whoever runs it here.
  const calendars = await stack.calendarsOf('city:shijiazhuang');
  const calendarDaysLeft = deadlineCalendarDaysLeft(new Date().toISOString(), calendars);
  if (calendarDaysLeft < holidayCalendarWarningDays) {
    console.warn(
      `Warning: the demo city's holiday schedules end in ${calendarDaysLeft} day(s); deadlines after that count Monday to Friday only. ` +
        `To add next year's: ${addNextCalendarHint} (e.g. ADMIN=$(npm run -s token -- --sub admin-city | tail -1); ` +
        `curl -X PUT ${stack.apiUrl}/calendars/${new Date().getFullYear() + 1} -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' -d @calendar.json).`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping; waiting applications resume at the next start.`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
