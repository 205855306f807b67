/**
 * Each class of bad input the probe of issue 15 found answering 5xx, sent to the real handlers on
 * DynamoDB Local: every one is now a 4xx problem+json naming what is wrong, and stores nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeInbox } from '../../functions/applications/http/inbox.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { actors, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

let deps: TestDependencies;
beforeAll(async () => {
  deps = handlerDependencies(await freshTable(), 'bad');
});

const submit = (actor: Actor, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> }) =>
  makeSubmitApplication(deps)(httpEvent({ actor, ...options }), lambdaContext);

function expectProblem(
  answer: { statusCode?: number; headers?: Record<string, unknown>; body?: string },
  status: number,
) {
  expect(answer.statusCode).toBe(status);
  expect(String(answer.headers?.['content-type'])).toContain('application/problem+json');
  return parsed(answer);
}

describe('bad input reaches no 5xx', () => {
  it('refuses a claim period in year 9999 with 422 naming the field', async () => {
    const body = contractBody('post-subsidy');
    body.details.period.start = '9999-12';
    const problem = expectProblem(await submit(actors.gexin02Staff, { body }), 422);
    expect(problem.errors).toContainEqual({ field: 'details.period.start', message: 'the year must be 1900 to 2199' });
  });

  it('refuses a date outside the years a business date may name', async () => {
    const body = contractBody('post-subsidy');
    body.details.post.startDate = '9999-12-31';
    const problem = expectProblem(await submit(actors.gexin02Staff, { body }), 422);
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain('details.post.startDate');
  });

  it('refuses a body nested 10,000 deep with 400 before walking it', async () => {
    let deep = '1';
    for (let i = 0; i < 10_000; i++) deep = `{"a":${deep}}`;
    const rawBody = JSON.stringify(contractBody('post-subsidy')).replace(/}$/, `,"extra":${deep}}`);
    const problem = expectProblem(
      await submit(actors.gexin02Staff, { rawBody, headers: { 'idempotency-key': 'deep-1' } }),
      400,
    );
    expect(problem.errors).toEqual([{ field: '(body)', message: 'JSON may nest at most 32 levels' }]);
  });

  it('counts nesting outside strings only: brackets inside a string are text', async () => {
    const body = contractBody('post-subsidy');
    body.applicant.proof.number = `KN-${'['.repeat(300)}`;
    // A long proof number is a 422 of its own field, not a 400 for nesting.
    expectProblem(await submit(actors.gexin02Staff, { body }), 422);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const body = { ...contractBody('post-subsidy'), padding: 'x'.repeat(1024 * 1024) };
    expectProblem(await submit(actors.gexin02Staff, { body }), 413);
  });

  it('refuses an id over 128 characters with 400 on every route addressed by id, before the table sees it', async () => {
    const id = 'x'.repeat(3000);
    const get = await makeGetApplication(deps)(
      httpEvent({ actor: actors.gexin02Staff, pathParameters: { id } }),
      lambdaContext,
    );
    expect(expectProblem(get, 400).errors).toEqual([{ field: 'path:id', message: 'at most 128 characters' }]);
    const withdraw = await makeWithdrawApplication(deps)(
      httpEvent({ actor: actors.gexin02Staff, pathParameters: { id }, body: { expectedVersion: 1 } }),
      lambdaContext,
    );
    expectProblem(withdraw, 400);
  });

  it('refuses a unit id over 64 characters after its level', async () => {
    const body = contractBody('post-subsidy');
    body.communityId = `community:${'a'.repeat(3000)}`;
    const problem = expectProblem(await submit(actors.gexin02Staff, { body }), 422);
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain('communityId');
  });

  it('refuses a query value over 1024 characters and control characters in a path', async () => {
    const inbox = await makeInbox(deps)(
      httpEvent({ actor: actors.gexinApprover, queryStringParameters: { communityId: 'c'.repeat(5000) } }),
      lambdaContext,
    );
    expect(expectProblem(inbox, 400).errors).toEqual([
      { field: 'query:communityId', message: 'at most 1024 characters' },
    ]);
    const get = await makeGetApplication(deps)(
      httpEvent({ actor: actors.gexin02Staff, pathParameters: { id: 'a\u0000b' } }),
      lambdaContext,
    );
    expectProblem(get, 400);
  });

  it('refuses forged inbox cursors with 400: wrong types, missing keys, an empty sort key, not base64', async () => {
    const forged = [
      { pk: 1, sk: '' },
      { pk: 'APP#x' },
      { pk: 'APP#x', sk: 'META', gsi1pk: 'INBOX#street#street:gexin', gsi1sk: '' },
      ['a', 'b'],
      'a string',
    ].map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
    for (const cursor of [...forged, '%%%', 'x'.repeat(1000), '']) {
      for (const name of ['cursor', 'escalatedCursor']) {
        const answer = await makeInbox(deps)(
          httpEvent({ actor: actors.gexinApprover, queryStringParameters: { [name]: cursor } }),
          lambdaContext,
        );
        if (cursor === '') expect(answer.statusCode).toBe(200);
        else expect(expectProblem(answer, 400).errors[0].field).toBe(name);
      }
    }
  });
});
