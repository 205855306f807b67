/**
 * The local exchange as `npm start` runs it: seeded with records that pass the schemas it
 * checks input by, records added by signed `POST /v1/records` (bad input refused naming the field,
 * unsigned refused), kept across a restart, and `npm run exchange -- put FILE.json` finding it
 * through the data directory as `npm run token` finds its stack.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { recordsPath } from '../../functions/verification/domain/exchange-wire.js';
import { signRequest } from '../../functions/verification/domain/request-signing.js';
import { recordsSchema } from '../../local/exchange-records.js';
import { demoRecords } from '../../local/exchange-seed.js';
import { type LocalExchange, startLocalExchange } from '../../local/exchange-service.js';
import { localExchangeFile } from '../../local/local-services.js';

const accessKeyId = 'sjz-employment-subsidy';
const secret = 'the-secret-the-exchange-issued-to-the-city';
const dir = mkdtempSync(join(tmpdir(), 'local-exchange-'));
const started: LocalExchange[] = [];
afterAll(async () => {
  for (const exchange of started) await exchange.stop();
  rmSync(dir, { recursive: true, force: true });
});

const start = async () => {
  const exchange = await startLocalExchange({ dir: join(dir, 'exchange'), credentials: { [accessKeyId]: secret } });
  started.push(exchange);
  return exchange;
};

const post = (exchange: LocalExchange, records: unknown, key = secret) => {
  const body = JSON.stringify(records);
  return fetch(`${exchange.endpoint}${recordsPath}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest({ method: 'POST', path: recordsPath, body }, { accessKeyId, secret: key }, Date.now()),
    },
    body,
  });
};

describe('the local data exchange', () => {
  it('seeds records the exchange would itself accept (check digits, credit codes, dates)', () => {
    expect(recordsSchema.safeParse(demoRecords('2026-12-08')).error).toBeUndefined();
  });

  it('adds signed records, refuses bad ones naming the field, and keeps them across a restart', async () => {
    const first = await start();
    const death = { idNumber: '130105197003010115', on: '2026-11-20' };

    const added = await post(first, { deaths: [death], pensions: [] });
    const bad = await post(first, { deaths: [{ idNumber: '130105197003010116', on: '2026-11-20' }] });
    const unknownList = await post(first, { births: [] });
    const unsigned = await post(first, { deaths: [death] }, 'a-key-nobody-issued-to-anyone');

    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ added: { deaths: { added: 1, replaced: 0 } } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'deaths.0.idNumber' }] });
    expect(unknownList.status).toBe(400);
    expect(unsigned.status).toBe(401);

    await first.stop();
    const second = await start();
    expect(second.records.deaths).toContainEqual(death);
  });

  it('is reached by npm run exchange -- put FILE.json through the data directory', async () => {
    const exchange = await start();
    writeFileSync(join(dir, localExchangeFile), JSON.stringify({ endpoint: exchange.endpoint, accessKeyId }));
    writeFileSync(join(dir, 'data-exchange-key'), secret);
    const file = join(dir, 'records.json');
    writeFileSync(
      file,
      JSON.stringify({
        pensions: [{ idNumber: '130105198005120240', from: '2026-12' }],
        entities: [{ creditCode: '91130100MA0DRGL8AE', name: '恒达商贸', kind: 'enterprise', status: 'active' }],
      }),
    );

    const { stdout } = await promisify(execFile)('npx', ['tsx', 'local/exchange-cli.ts', 'put', file], {
      env: { ...process.env, SUBSIDY_DATA_DIR: dir },
    });

    expect(stdout).toContain('pensions: 1 added');
    expect(stdout).toContain('entities: 0 added, 1 replaced');
    expect(exchange.records.pensions).toContainEqual({ idNumber: '130105198005120240', from: '2026-12' });
  });
});
