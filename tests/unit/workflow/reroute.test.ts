/**
 * "Route again" releases each waiting execution before it takes the token off the application:
 * a take whose answer was lost (applied, then the connection reset) must not leave a token that
 * no one holds, as it did when the take came first (found by the chaos run).
 */
import { describe, expect, it } from 'vitest';
import type { StoredApplication } from '../../../functions/applications/store/application-item.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { rerouteWaiting } from '../../../functions/workflow/scheduled/reroute.js';
import { takenIn } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const waiting = (id: string): StoredApplication => ({
  application: takenIn(id, policy, '2026-11-28T02:00:00.000Z').application,
  waitingTask: { token: `token-${id}`, state: 'AwaitDecision', input: { applicationId: id }, version: 1 },
});

describe('routing waiting executions again', () => {
  it('releases every waiting execution even when taking a token off fails after it was applied', async () => {
    const steps: string[] = [];
    const result = await rerouteWaiting(
      {
        applications: {
          listOpen: async () => [waiting('a'), waiting('b')],
          takeWaitingTask: async (id: string) => {
            steps.push(`take ${id}`);
            // Applied by the table, the answer lost: the SDK's retry finds the condition false, or the call throws.
            throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          },
        },
        workflow: {
          release: async (token: string) => {
            steps.push(`release ${token}`);
            return true;
          },
        },
      },
      'holiday calendar changed',
    );
    expect(result).toEqual({ waiting: 2, released: 2 });
    expect(steps).toEqual(['release token-a', 'take a', 'release token-b', 'take b']);
  });
});
