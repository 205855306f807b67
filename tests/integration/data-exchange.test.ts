/**
 * The HTTP adapter of the sources' port against the real local exchange on loopback: answers as
 * the sources keep them, a wrong key refused, a hanging source timed out, a stopped one
 * unreachable and then its circuit open, garbage called garbage, and the circuit closed again once
 * the source answers. The circuit's cool-down runs on a clock the test moves; the one timeout is
 * against a source that never answers, so no result depends on the machine's speed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { logger } from '../../functions/kernel/runtime/logger.js';
import type { ExchangeClientOptions, ExchangeOutcome } from '../../functions/verification/index.js';
import { exchangeClient, productionDataExchange, SourceUnavailableError } from '../../functions/verification/index.js';
import { demoMismatches } from '../../local/exchange-seed.js';
import { type LocalExchange, startLocalExchange } from '../../local/exchange-service.js';
import { type LocalSecretsManager, startLocalSecretsManager } from '../../local/secrets-manager.js';

const city = 'city:shijiazhuang';
const accessKeyId = 'sjz-employment-subsidy';
const secret = 'the-secret-the-exchange-issued-to-the-city';
const zhangWei = '130102199007070350';
const liJianguo = '130105197003010115';

let exchange: LocalExchange;
beforeAll(async () => {
  exchange = await startLocalExchange({ credentials: { [accessKeyId]: secret } });
});
afterAll(() => exchange.stop());
afterEach(async () => {
  exchange.misbehave(undefined);
  await exchange.start();
});

/** A client of the exchange with a clock the test moves, no waiting between retries, and every outcome and request counted. */
function client(overrides: Partial<ExchangeClientOptions> = {}) {
  const clock = { now: 1_000_000 };
  const outcomes: ExchangeOutcome[] = [];
  const sent = { requests: 0 };
  const adapter = exchangeClient({
    exchangeOf: async (cityId) => (cityId === city ? { baseUrl: exchange.endpoint, accessKeyId } : undefined),
    credentials: async () => ({ [accessKeyId]: secret }),
    // Generous: only the hanging source is meant to time out.
    timeoutMs: 20_000,
    attempts: 2,
    sleep: async () => undefined,
    circuit: { failuresToOpen: 2, coolDownMs: 30_000 },
    now: () => clock.now,
    fetch: (input, init) => {
      sent.requests++;
      return fetch(input, init);
    },
    onOutcome: (outcome) => outcomes.push(outcome),
    ...overrides,
  });
  return { adapter, clock, outcomes, sent };
}

const reasonOf = async (asked: Promise<unknown>) => {
  const error = await asked.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceUnavailableError);
  return (error as SourceUnavailableError).reason;
};

describe('the data exchange over HTTP', () => {
  it('answers each source from its records, dated by the day they last changed', async () => {
    const { adapter, outcomes } = client();
    const today = shanghaiDate(new Date());

    const died = await adapter.ask(city, { source: 'deaths', idNumber: demoMismatches.deceased });
    const alive = await adapter.ask(city, { source: 'deaths', idNumber: liJianguo });
    const contributions = await adapter.ask(city, {
      source: 'contributions',
      idNumber: liJianguo,
      months: { from: '2026-02', to: '2026-04' },
    });
    const pension = await adapter.ask(city, { source: 'pensions', idNumber: demoMismatches.drawingPension });

    expect(died).toEqual({ source: 'deaths', asOf: today, died: { on: '2026-10-03' } });
    expect(alive).toEqual({ source: 'deaths', asOf: today });
    expect(contributions.records.map((r) => [r.month, r.employerCreditCode, r.paid])).toEqual([
      ['2026-02', '91130100MA0ABCDE10', true],
      ['2026-03', '91130100MA0ABCDE10', true],
      ['2026-04', '91130100MA0ABCDE10', true],
    ]);
    expect(pension).toEqual({ source: 'pensions', asOf: today, from: '2025-01' });
    expect(outcomes.every((o) => !o.failed)).toBe(true);
  });

  it('tells whether the person asked about is a firm’s legal representative, without keeping the number', async () => {
    const { adapter } = client();

    const asked = await adapter.ask(city, {
      source: 'entities',
      creditCode: '92130102MA0XYW1237',
      legalRepresentativeIdNumber: zhangWei,
    });
    const byPerson = await adapter.ask(city, {
      source: 'entities',
      legalRepresentativeIdNumber: demoMismatches.deregisteredFirmOwner,
    });

    expect(asked.entities).toEqual([
      {
        creditCode: '92130102MA0XYW1237',
        name: '张伟早餐店',
        kind: 'individual-business',
        status: 'active',
        legalRepresentativeIsPerson: true,
      },
    ]);
    expect(byPerson.entities).toMatchObject([
      { status: 'deregistered', deregisteredOn: '2025-11-30', legalRepresentativeIsPerson: true },
    ]);
    expect(JSON.stringify([asked, byPerson])).not.toMatch(/\d{17}[\dX]/);
  });

  it('is refused, and says so, when it signs with a key the exchange does not hold', async () => {
    const { adapter, outcomes, sent } = client({
      credentials: async () => ({ [accessKeyId]: 'not-the-secret-at-all' }),
    });

    expect(await reasonOf(adapter.ask(city, { source: 'deaths', idNumber: liJianguo }))).toBe('refused');
    // A refusal is not tried again: the same key would be refused the same way.
    expect(sent.requests).toBe(1);
    expect(outcomes).toEqual([{ cityId: city, source: 'deaths', failed: true, reason: 'refused', status: 401 }]);
  });

  it('gives up on a source that does not answer in time', async () => {
    const { adapter } = client({ timeoutMs: 300, attempts: 1 });
    exchange.misbehave('hang');

    expect(await reasonOf(adapter.ask(city, { source: 'imprisonments', idNumber: liJianguo }))).toBe('timeout');
  });

  it('calls an answer that does not parse invalid, without trying again', async () => {
    const { adapter, sent } = client();
    exchange.misbehave('garbage');

    expect(await reasonOf(adapter.ask(city, { source: 'publicPayroll', idNumber: liJianguo }))).toBe('invalid-answer');
    expect(sent.requests).toBe(1);
  });

  it('tries a 503 again before giving up on it', async () => {
    const { adapter, sent } = client({ attempts: 3 });
    exchange.misbehave('server-error');

    expect(await reasonOf(adapter.ask(city, { source: 'pensions', idNumber: liJianguo }))).toBe('unreachable');
    expect(sent.requests).toBe(3);
  });

  it('finds a stopped exchange unreachable, then stops asking it until the cool-down, then closes on its answer', async () => {
    const { adapter, clock, outcomes, sent } = client();
    const warned = vi.spyOn(logger, 'warn');
    await exchange.stop();

    expect(await reasonOf(adapter.ask(city, { source: 'deaths', idNumber: liJianguo }))).toBe('unreachable');
    expect(await reasonOf(adapter.ask(city, { source: 'deaths', idNumber: liJianguo }))).toBe('unreachable');
    const before = sent.requests;
    expect(await reasonOf(adapter.ask(city, { source: 'deaths', idNumber: liJianguo }))).toBe('circuit-open');
    expect(sent.requests).toBe(before);
    // Another source of the same city has its own circuit.
    expect(await reasonOf(adapter.ask(city, { source: 'pensions', idNumber: liJianguo }))).toBe('unreachable');

    await exchange.start();
    clock.now += 29_999;
    expect(await reasonOf(adapter.ask(city, { source: 'deaths', idNumber: liJianguo }))).toBe('circuit-open');
    clock.now += 1;
    expect(await adapter.ask(city, { source: 'deaths', idNumber: liJianguo })).toMatchObject({ source: 'deaths' });
    expect(adapter.circuits.stateOf(city, 'deaths')).toEqual({ state: 'closed', consecutiveFailures: 0 });

    expect(outcomes.map((o) => `${o.source} ${o.failed ? o.reason : 'answered'}`)).toEqual([
      'deaths unreachable',
      'deaths unreachable',
      'deaths circuit-open',
      'pensions unreachable',
      'deaths circuit-open',
      'deaths answered',
    ]);
    expect(JSON.stringify(warned.mock.calls)).not.toContain(liJianguo);
  });

  it('says a city without an exchange in its policy is not configured, and asks nothing', async () => {
    const { adapter, sent } = client();

    expect(await reasonOf(adapter.ask('city:baoding', { source: 'deaths', idNumber: liJianguo }))).toBe(
      'not-configured',
    );
    expect(sent.requests).toBe(0);
  });
});

describe('the production adapter', () => {
  let secrets: LocalSecretsManager;
  const saved = { ...process.env };
  beforeAll(async () => {
    secrets = await startLocalSecretsManager({
      'data-exchange-credentials': JSON.stringify({ [accessKeyId]: secret }),
    });
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
    process.env.DATA_EXCHANGE_SECRET_ARN = secrets.arns['data-exchange-credentials'];
    process.env.DATA_EXCHANGE_ENDPOINT = exchange.endpoint;
  });
  afterAll(async () => {
    process.env = { ...saved };
    await secrets.close();
  });

  it('reads its credentials from Secrets Manager and asks the endpoint the environment names', async () => {
    const adapter = productionDataExchange(async () => ({
      exchange: { baseUrl: 'https://data-exchange.hebei.example/api', accessKeyId },
    }));

    expect(
      await adapter.ask(city, { source: 'grantsElsewhere', idNumber: demoMismatches.grantElsewhere }),
    ).toMatchObject({
      grants: [{ cityId: 'city:baoding', programme: 'social-insurance/flexible-employment', start: '2026-03' }],
    });
  });
});
