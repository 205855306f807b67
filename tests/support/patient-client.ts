/**
 * A patient client of the HTTP API, as staff's tools would be written against a service that
 * can fail or vanish for a while (tests/workflow/chaos.test.ts injects faults, tests/e2e/crash.test.ts
 * kills the runtime): a failed request is sent again, the same Idempotency-Key or expectedVersion
 * with it, until it lands; a 409 or a lost answer whose change did land counts as done. And the
 * paths an application takes through review, with the history each must end with.
 */
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { webhookEventTypes } from '../../functions/webhooks/domain/webhook-events.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { type ApiAnswer, apiAs } from './api-client.js';

type Stack = Parameters<typeof apiAs>[0];

/** The paths through review a burst takes applications along, each to a final decision. */
export const paths = ['approved', 'rejected', 'returned-resubmitted', 'withdrawn'] as const;
/** And one that stops half-way: approved at street, left waiting for the city's decision. */
export type Path = (typeof paths)[number] | 'waiting';

/** Each path's history (`action@stage`), every decision exactly once. */
export const expectedHistory: Record<Path, string[]> = {
  approved: ['submitted@community', 'approved@street', 'approved@city'],
  rejected: ['submitted@community', 'rejected@street'],
  'returned-resubmitted': [
    'submitted@community',
    'approved@street',
    'returned@city',
    'resubmitted@community',
    'approved@city',
  ],
  withdrawn: ['submitted@community', 'withdrawn@street'],
  waiting: ['submitted@community', 'approved@street'],
};

/** An application taken through its path: its id and the resident ID it was taken in for. */
export interface TakenApplication {
  id: string;
  path: Path;
  idNumber: string;
}

export interface PatientClientFigures {
  /** Requests sent, first tries and retries. */
  requests: number;
  /** Of those, the tries after the first of the same change (no answer, a 5xx, a 409 or 429 not yet landed). */
  retried: number;
  /** Changes that landed (a 2xx, or seen landed after a lost answer). */
  landed: number;
}

export function patientClient(stack: Stack, { patienceMs = 300_000 } = {}) {
  const figures: PatientClientFigures = { requests: 0, retried: 0, landed: 0 };
  const as = (actor: Actor, headers: Record<string, string> = {}) => apiAs(stack, actor, headers);
  const backoff = (tries: number) => new Promise((wait) => setTimeout(wait, Math.min(50 * tries, 1000)));

  /**
   * Sends `attempt` until it answers 2xx or `landed()` says its change is stored; answers the 2xx,
   * or undefined when it landed unanswered. A 4xx other than 409/429 is a mistake of the test: thrown.
   */
  async function until(
    attempt: () => Promise<ApiAnswer>,
    landed: () => Promise<boolean>,
    what: string,
  ): Promise<ApiAnswer | undefined> {
    const deadline = Date.now() + patienceMs;
    for (let tries = 1; ; tries++) {
      figures.requests++;
      if (tries > 1) figures.retried++;
      const answer = await attempt().catch(() => undefined);
      if (answer && answer.status < 300) {
        figures.landed++;
        return answer;
      }
      if (answer && answer.status >= 400 && answer.status < 500 && answer.status !== 409 && answer.status !== 429)
        throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (await landed().catch(() => false)) {
        figures.landed++;
        return undefined;
      }
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${tries} tries`);
      await backoff(tries);
    }
  }

  /** The application's version as it now stands (read until the API answers). */
  async function versionOf(id: string): Promise<number> {
    for (let tries = 1; ; tries++) {
      const answer = await as(actors.gexin01Staff)
        .get(`/applications/${id}`)
        .catch(() => undefined);
      if (answer?.status === 200) return answer.body.version as number;
      await backoff(tries);
    }
  }

  /** A change that takes the application to `toVersion`, sent until it has. */
  async function act(id: string, actor: Actor, path: string, body: Record<string, unknown>, toVersion: number) {
    await until(
      () => as(actor).post(`/applications/${id}${path}`, body),
      async () => (await versionOf(id)) >= toVersion,
      `${path} of ${id} to version ${toVersion}`,
    );
  }

  /**
   * Takes application `i` in (a person of its own, Idempotency-Key `${keyPrefix}-${i}`) and along
   * `path`; `beforeMoving` runs once it is stored (e.g. to register a webhook endpoint).
   */
  async function takeThrough(
    i: number,
    path: Path,
    { keyPrefix = 'chaos', person = 5000 + i, beforeMoving = async (_id: string) => {} } = {},
  ): Promise<TakenApplication> {
    const body = asPerson(contractBody('flexible-employment'), person);
    const submitted = await until(
      () => as(actors.gexin01Staff, { 'idempotency-key': `${keyPrefix}-${i}` }).post('/applications', body),
      async () => false,
      `submit ${i}`,
    );
    const id = (submitted as ApiAnswer).body.id as string;
    await beforeMoving(id);
    if (path === 'withdrawn') {
      await act(id, actors.gexin01Staff, '/withdraw', { expectedVersion: 1 }, 2);
    } else if (path === 'rejected') {
      await act(
        id,
        actors.gexinApprover,
        '/decisions',
        { decision: 'reject', expectedVersion: 1, reason: 'false-information' },
        2,
      );
    } else {
      await act(id, actors.gexinApprover, '/decisions', { decision: 'approve', expectedVersion: 1 }, 2);
      if (path === 'waiting') {
        // Left with the city approver.
      } else if (path === 'returned-resubmitted') {
        await act(
          id,
          actors.cityApprover,
          '/decisions',
          { decision: 'return', expectedVersion: 2, comment: '请补充材料' },
          3,
        );
        await act(id, actors.gexin01Staff, '/resubmit', { expectedVersion: 3 }, 4);
        await act(id, actors.cityApprover, '/decisions', { decision: 'approve', expectedVersion: 4 }, 5);
      } else {
        await act(id, actors.cityApprover, '/decisions', { decision: 'approve', expectedVersion: 2 }, 3);
      }
    }
    return { id, path, idNumber: body.applicant.idNumber as string };
  }

  /**
   * Registers a webhook endpoint at `url` for the application, every event (Idempotency-Key
   * `hook-<id>`, so a retry after a lost answer gets the same endpoint); keeps its secret in `secrets`.
   */
  async function registerEndpoint(applicationId: string, url: string, secrets: Map<string, string>) {
    const answer = await until(
      () =>
        as(actors.gexin01Staff, { 'idempotency-key': `hook-${applicationId}` }).post('/webhook-endpoints', {
          url,
          events: [...webhookEventTypes],
          applicationId,
        }),
      async () => false,
      `register an endpoint for ${applicationId}`,
    );
    secrets.set(applicationId, answer?.body.secret as string);
  }

  return { as, until, act, versionOf, takeThrough, registerEndpoint, figures };
}
export type PatientClient = ReturnType<typeof patientClient>;
