/**
 * Deciding an application, at the handler: parse → domain → commit → release, with plain fakes
 * for the few functions the use case calls. What the store writes (conditions, late tokens) is
 * asserted against DynamoDB Local in tests/integration/applications-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ActorResolution } from '../../../functions/administration/http/actor-resolver.js';
import type { Transition } from '../../../functions/applications/domain/lifecycle.js';
import type { ChangeDependencies } from '../../../functions/applications/http/change-application.js';
import { makeDecideApplication } from '../../../functions/applications/http/decide-application.js';
import type { ReadAuditDependency } from '../../../functions/applications/http/dependencies.js';
import type { StoredApplication, WaitingTask } from '../../../functions/applications/store/application-item.js';
import { StaleWriteError } from '../../../functions/applications/store/applications.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { actors, takenIn } from '../../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../../tools/support/http-events.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;

const submitted = takenIn('app-1', policy, '2026-11-28T02:00:00.000Z', 'key').application;
const waiting: WaitingTask = { token: 'token-1', state: 'AwaitDecision', input: {} };

/** An application store of one application, recording what is committed; `refuse` makes commits lose a race. */
function fakes(options: { stored?: StoredApplication[]; refuse?: number; released?: boolean | 'throws' } = {}) {
  const reads = [...(options.stored ?? [{ application: submitted, waitingTask: waiting }])];
  const commits: { previous: StoredApplication; transition: Transition }[] = [];
  const releases: { token: string; output: Record<string, unknown> }[] = [];
  const metrics: string[] = [];
  const taken: string[] = [];
  let refusals = options.refuse ?? 0;
  const deps: ChangeDependencies & ActorResolution & ReadAuditDependency = {
    readAudit: { record: async () => undefined },
    resolveActor: actorFromTestClaims,
    policies: { ofApplication: async () => policy },
    applications: {
      get: async (id) => (id === 'app-1' ? (reads.length > 1 ? reads.shift() : reads[0]) : undefined),
      commit: async (previous, transition) => {
        if (refusals-- > 0) throw new StaleWriteError(previous.application.id);
        commits.push({ previous, transition });
        return previous.waitingTask;
      },
      personLedger: async (person) => ({ ...person, version: 0, grants: [], activeApplications: new Map() }),
      takeWaitingTask: async (_id, token) => {
        taken.push(token);
        return true;
      },
    },
    workflow: {
      release: async (token, output) => {
        releases.push({ token, output });
        if (options.released === 'throws') throw new Error('Step Functions unreachable');
        return options.released ?? true;
      },
    },
    now: () => new Date('2026-11-28T03:00:00Z'),
    publishMetrics: (event) => void metrics.push(event.action),
  };
  const handler = makeDecideApplication(deps);
  const decide = (body: unknown, actor = actors.gexinApprover, id = 'app-1') =>
    handler(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
  return { handler, decide, commits, releases, metrics, taken };
}

describe('deciding an application (handler, plain fakes)', () => {
  it('commits the decision against what it read, then releases the waiting execution with its next step', async () => {
    const { decide, commits, releases, metrics, taken } = fakes();

    const result = await decide({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ status: 'in_review', stage: 'city', version: 2 });
    expect(commits).toHaveLength(1);
    expect(commits[0]?.previous.waitingTask).toEqual(waiting);
    expect(commits[0]?.transition.event).toMatchObject({ action: 'approved', stage: 'street', version: 2 });
    expect(releases).toEqual([
      { token: 'token-1', output: expect.objectContaining({ applicationId: 'app-1', action: 'await-decision' }) },
    ]);
    expect(metrics).toEqual(['approved']);
    // Taken off the application only once released.
    expect(taken).toEqual(['token-1']);
  });

  it('keeps the decision and leaves the token recorded when the release fails, for the reconciler to release', async () => {
    const { decide, commits, releases, taken } = fakes({ released: 'throws' });

    const result = await decide({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(commits).toHaveLength(1);
    expect(releases).toHaveLength(1);
    expect(taken).toEqual([]);
  });

  it('answers 409 on a stale version and commits nothing', async () => {
    const { decide, commits, releases } = fakes();

    const result = await decide({ decision: 'approve', expectedVersion: 7 });

    expect(result.statusCode).toBe(409);
    expect(parsed(result)).toMatchObject({ status: 409, currentVersion: 1 });
    expect(commits).toHaveLength(0);
    expect(releases).toHaveLength(0);
  });

  it('answers 409 when a concurrent decision wins the write: read again, the stage is already decided', async () => {
    const decidedMeanwhile = { ...submitted, version: 2, eventSeq: 2, stage: 'city' as const };
    const { decide, commits, releases } = fakes({
      stored: [{ application: submitted, waitingTask: waiting }, { application: decidedMeanwhile }],
      refuse: 1,
    });

    const result = await decide({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(409);
    expect(commits).toHaveLength(0);
    expect(releases).toHaveLength(0);
  });

  it('answers an approver of another street exactly as it answers an unknown application: the same 404', async () => {
    const { decide, commits } = fakes();

    const otherStreet = await decide({ decision: 'approve', expectedVersion: 1 }, actors.dongfengApprover);
    const unknown = await decide({ decision: 'approve', expectedVersion: 1 }, actors.dongfengApprover, 'app-404');

    expect(otherStreet.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    // Nothing but the id asked for tells the two answers apart.
    expect(otherStreet.body).toBe(String(unknown.body).replaceAll('app-404', 'app-1'));
    expect(commits).toHaveLength(0);
  });

  it('answers 422 naming the field when a rejection has no reason, 400 for a body that is not JSON, 401 without claims', async () => {
    const { handler, decide, commits } = fakes();

    const missingReason = await decide({ decision: 'reject', expectedVersion: 1 });
    const notJson = await handler(
      httpEvent({ actor: actors.gexinApprover, rawBody: '{"decision":', pathParameters: { id: 'app-1' } }),
      lambdaContext,
    );
    const anonymous = await handler(
      httpEvent({ body: { decision: 'approve', expectedVersion: 1 }, pathParameters: { id: 'app-1' } }),
      lambdaContext,
    );

    expect(missingReason.statusCode).toBe(422);
    expect(missingReason.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(parsed(missingReason).errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(notJson.statusCode).toBe(400);
    expect(anonymous.statusCode).toBe(401);
    expect(commits).toHaveLength(0);
  });

  it('keeps the decision when the execution no longer waits for the token', async () => {
    const { decide, commits } = fakes({ released: false });

    const result = await decide({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(commits).toHaveLength(1);
  });
});
