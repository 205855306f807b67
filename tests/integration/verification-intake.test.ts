/**
 * Intake's checks against other offices' records, through the HTTP handlers on DynamoDB Local:
 * a refusing mismatch refuses with nothing recorded, a suspicious one and a pending one are kept
 * on the application, the dry run shows every check, and nobody is asked about a person before
 * the caller's scope is known.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCheckEligibility } from '../../functions/applications/http/check-eligibility.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { suspicionRepository } from '../../functions/verification/index.js';
import { contractFirms, type ExchangeDouble, exchangeDouble } from '../../tools/support/exchange-double.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

let deps: TestDependencies;
let exchange: ExchangeDouble;
let table: TableContext;

beforeAll(async () => {
  exchange = exchangeDouble(structuredClone(contractFirms), '2026-11-27');
  table = await freshTable();
  deps = handlerDependencies(table, 'verify', { dataExchange: exchange });
});

const answered = (result: { statusCode?: number; body?: string }) => ({
  statusCode: result.statusCode,
  body: parsed(result),
});
const submit = async (actor: Actor, body: unknown) =>
  answered(await makeSubmitApplication(deps)(httpEvent({ actor, body }), lambdaContext));
const dryRun = async (actor: Actor, body: unknown) =>
  answered(await makeCheckEligibility(deps)(httpEvent({ actor, body }), lambdaContext));

describe('checks at intake', () => {
  it('keeps a suspicious mismatch on the application: a pension drawn during the months asked for', async () => {
    const body = contractBody('flexible-employment');
    body.applicant.idNumber = '130105198005120240';
    exchange.records.pensions = [{ idNumber: body.applicant.idNumber, from: '2026-05' }];
    const answer = await submit(actors.gexin01Staff, body);
    expect(answer.statusCode).toBe(201);
    const stored = await deps.applications.get(answer.body.id);
    const pension = stored?.application.verification?.results.find((r) => r.check === 'drawing-pension');
    expect(pension).toMatchObject({
      outcome: 'mismatch',
      onMismatch: 'flag',
      source: 'pensions',
      asOf: '2026-11-27',
      figures: { 领取起始月份: '2026-05' },
    });
    // Nothing of it is a clear ID.
    expect(JSON.stringify(stored?.application.verification)).not.toContain(body.applicant.idNumber);
    // The suspicion is in the auditors' queue, stored with the application.
    const held = stored?.application.verification?.suspicion;
    expect(held?.status).toBe('open');
    const suspicion = await suspicionRepository(table).get('city:shijiazhuang', held?.id ?? '');
    expect(suspicion).toMatchObject({
      applicationId: answer.body.id,
      takenInBy: actors.gexin01Staff.sub,
      status: 'open',
      mismatches: [expect.objectContaining({ check: 'drawing-pension' })],
    });
    exchange.records.pensions = [];
  });

  it('refuses a microloan for a deregistered firm, naming the rule and the field, and records nothing', async () => {
    const body = contractBody('microloan-guarantee');
    const firm = exchange.records.entities?.find((e) => e.creditCode === body.details.business.licenceNo);
    if (!firm) throw new Error('the contract firm is missing from the double');
    firm.status = 'deregistered';
    firm.deregisteredOn = '2026-06-30';
    const refused = await submit(actors.jianbei01Staff, body);
    expect(refused.statusCode).toBe(422);
    expect(refused.body.type).toBe('/problems/refused-by-verification');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'details.business.licenceNo',
        message: expect.stringContaining('firm-deregistered'),
      }),
    ]);
    expect(refused.body.verification).toContainEqual(
      expect.objectContaining({
        check: 'firm-deregistered',
        outcome: 'mismatch',
        figures: expect.objectContaining({ 注销日期: '2026-06-30' }),
      }),
    );
    // Nothing recorded: the same person's application goes through once the firm is active again.
    firm.status = 'active';
    delete firm.deregisteredOn;
    expect((await submit(actors.jianbei01Staff, body)).statusCode).toBe(201);
  });

  it('keeps a check whose source is down as pending, never passed', async () => {
    const body = contractBody('post-subsidy');
    body.applicant.idNumber = '130105197003010115';
    exchange.down.add('deaths');
    const answer = await submit(actors.gexin02Staff, body);
    exchange.down.clear();
    expect(answer.statusCode).toBe(201);
    const stored = await deps.applications.get(answer.body.id);
    expect(stored?.application.verification?.results.find((r) => r.check === 'deceased')).toMatchObject({
      outcome: 'pending',
      pendingReason: 'unreachable',
    });
  });

  it('treats data older than the policy allows as pending', async () => {
    exchange.asOf = '2026-09-01';
    const body = contractBody('public-welfare-post');
    body.applicant.idNumber = '130105197003010115';
    const answer = await dryRun(actors.gexin02Staff, body);
    exchange.asOf = '2026-11-27';
    expect(answer.statusCode).toBe(200);
    expect(answer.body.verification.length).toBeGreaterThan(0);
    for (const result of answer.body.verification)
      expect(result).toMatchObject({ outcome: 'pending', pendingReason: 'stale' });
  });

  it('shows every check in the dry run, a refusing mismatch reported rather than thrown', async () => {
    const body = contractBody('flexible-employment');
    exchange.records.deaths = [{ idNumber: body.applicant.idNumber, on: '2026-10-02' }];
    const answer = await dryRun(actors.gexin01Staff, body);
    exchange.records.deaths = [];
    expect(answer.statusCode).toBe(200);
    expect(answer.body.verification.map((r: { check: string }) => r.check).sort()).toEqual(
      [
        'deceased',
        'drawing-pension',
        'drawing-unemployment-benefit',
        'grant-elsewhere',
        'imprisoned',
        'individual-business-owner',
        'other-employer-contributions',
      ].sort(),
    );
    expect(answer.body.verification.find((r: { check: string }) => r.check === 'deceased')).toMatchObject({
      outcome: 'mismatch',
      onMismatch: 'refuse',
      figures: { 死亡日期: '2026-10-02' },
    });
  });

  it('asks nobody about a person before the caller may take the application in', async () => {
    exchange.asked.length = 0;
    const body = contractBody('flexible-employment');
    expect((await submit(actors.jianbei01Staff, body)).statusCode).toBe(403);
    expect((await dryRun(actors.gexinApprover, body)).statusCode).toBe(403);
    expect(exchange.asked).toEqual([]);
  });

  it('writes the questions asked about the applicant to the read audit, or takes nothing in', async () => {
    const body = asPerson(contractBody('flexible-employment'), 2760);
    const answer = await submit(actors.gexin01Staff, body);
    expect(answer.statusCode).toBe(201);
    const { items } = await readAuditRepository(table).query({
      cityId: 'city:shijiazhuang',
      applicationId: answer.body.id,
      from: '2026-01-01',
      to: '2027-01-01',
      limit: 10,
    });
    expect(items).toEqual([
      expect.objectContaining({
        sub: actors.gexin01Staff.sub,
        purpose: 'verification',
        fields: expect.arrayContaining(['deaths', 'pensions', 'contributions', 'entities', 'grantsElsewhere']),
      }),
    ]);
    expect(JSON.stringify(items)).not.toContain(body.applicant.idNumber);

    const unaudited = makeSubmitApplication({
      ...deps,
      readAudit: {
        record: async () => {
          throw new Error('table unavailable');
        },
      },
    });
    const refused = await unaudited(
      httpEvent({ actor: actors.gexin01Staff, body: asPerson(contractBody('flexible-employment'), 2761) }),
      lambdaContext,
    );
    expect(refused.statusCode).toBe(503);
  });
});
