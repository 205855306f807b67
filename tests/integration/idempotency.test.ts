/**
 * Intake's Idempotency-Key: the role and unit are checked before anything is replayed; a key
 * belongs to the caller (person and assignment), the route and the canonical body; a repeat gets
 * the first answer's status with the application as it now stands, and the key keeps no copy of
 * the applicant.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

let deps: TestDependencies;
let table: TableContext;
beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'idem');
});

const submit = (actor: Actor, body: unknown, key: string) =>
  makeSubmitApplication(deps)(httpEvent({ actor, body, headers: { 'idempotency-key': key } }), lambdaContext);

/** The same object with its keys in reverse order, at every level. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

/** The first answer less its timeline: a repeat answers as a change does, the timeline is `GET /applications/{id}`'s to verify. */
const withoutTimeline = ({ history: _h, historyIntact: _i, ...rest }: Record<string, unknown>) => rest;

describe('Idempotency-Key on intake', () => {
  it('checks the role and unit before replaying: the same person acting for another community gets 403', async () => {
    const body = contractBody('post-subsidy');
    const first = await submit(actors.gexin02Staff, body, 'scope-1');
    expect(first.statusCode).toBe(201);

    // Same sub, acting as staff of another community: the key is not theirs to replay.
    const elsewhere = { ...actors.gexin02Staff, unit: 'community:gexin-01' };
    expect((await submit(elsewhere, body, 'scope-1')).statusCode).toBe(403);
    // Same sub, acting as a street approver: no intake at all, and no replay either.
    const approver = { ...actors.gexin02Staff, role: 'street-approver', unit: 'street:gexin' } as const;
    const refused = await submit(approver, body, 'scope-1');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(parsed(first).id);
  });

  it('replays the first answer for the same body with its keys in another order', async () => {
    const body = contractBody('flexible-employment');
    const first = await submit(actors.gexin01Staff, body, 'order-1');
    const again = await submit(actors.gexin01Staff, reversed(body), 'order-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(parsed(again)).toEqual(withoutTimeline(parsed(first)));
  });

  it('refuses the same key with a different body: 422 naming the Idempotency-Key header', async () => {
    const body = contractBody('microloan-guarantee');
    body.communityId = 'community:jianbei-01';
    expect((await submit(actors.jianbei01Staff, body, 'body-1')).statusCode).toBe(201);
    const changed = { ...body, details: { ...body.details, loanAmount: body.details.loanAmount - 100 } };
    const refused = await submit(actors.jianbei01Staff, changed, 'body-1');
    expect(refused.statusCode).toBe(422);
    expect(parsed(refused).errors).toEqual([
      { field: 'Idempotency-Key', message: 'already used with a different body' },
    ]);
  });

  it('answers a repeat after a withdrawal with 201 and the application as it now stands', async () => {
    const body = contractBody('public-welfare-post');
    body.communityId = 'community:gexin-02';
    const first = await submit(actors.gexin02Staff, body, 'after-withdraw-1');
    expect(first.statusCode).toBe(201);
    const { id } = parsed(first);
    const withdrawn = await makeWithdrawApplication(deps)(
      httpEvent({ actor: actors.gexin02Staff, pathParameters: { id }, body: { expectedVersion: 1 } }),
      lambdaContext,
    );
    expect(withdrawn.statusCode).toBe(200);

    const again = await submit(actors.gexin02Staff, body, 'after-withdraw-1');

    expect(again.statusCode).toBe(201);
    expect(again.headers?.location).toBe(`/applications/${id}`);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(parsed(again)).toMatchObject({ id, status: 'withdrawn', version: 2, applicant: parsed(first).applicant });
  });

  it('keeps the status and the application id under the key, never the answer’s body', async () => {
    // Another person: the contract's own has an application for this programme open already.
    const body = asPerson(contractBody('flexible-employment'), 3100);
    const first = await submit(actors.gexin01Staff, body, 'kept-1');
    expect(first.statusCode).toBe(201);
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: toItem(
          keys.idempotency(
            `${actors.gexin01Staff.sub}|community-staff@community:gexin-01|POST /applications`,
            'kept-1',
          ),
        ),
      }),
    );
    const kept = fromItem(Item ?? {});
    expect(kept).toMatchObject({ applicationId: parsed(first).id, answerStatus: 201 });
    expect(kept.answerBody).toBeUndefined();
    expect(JSON.stringify(kept)).not.toContain(body.applicant.name);
    expect(JSON.stringify(kept)).not.toContain(body.applicant.phone);
  });
});
