/** The reconciler's choices against a Step Functions that can redrive (AWS), with plain fakes. */
import { describe, expect, it } from 'vitest';
import type { StoredApplication } from '../../../functions/applications/store/application-item.js';
import type { ExecutionStatus } from '../../../functions/kernel/adapters/approval-workflow.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { reconcileExecutions } from '../../../functions/workflow/scheduled/reconcile.js';
import { takenIn } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const at = '2026-11-28T02:00:00.000Z';
const open = (id: string): StoredApplication => ({ application: takenIn(id, policy, at).application });

function fakes(executions: Record<string, ExecutionStatus>, options: { redrivable?: boolean } = {}) {
  const started: string[] = [];
  const redriven: string[] = [];
  const workflow = {
    release: async () => true,
    statusOf: async (name: string) => executions[name],
    startNamed: async (name: string) => {
      started.push(name);
      return true;
    },
    redrive: async (name: string) => {
      if (!options.redrivable) return false;
      redriven.push(name);
      return true;
    },
  };
  return { workflow, started, redriven };
}

const deps = (applications: StoredApplication[], workflow: ReturnType<typeof fakes>['workflow']) => ({
  applications: { listToReconcile: async () => applications, takeWaitingTask: async () => true },
  workflow,
  now: () => new Date('2026-11-28T03:00:00Z'),
});

describe('reconciling executions (fakes)', () => {
  it('redrives a failed execution where Step Functions allows it, under its own name', async () => {
    const fake = fakes({ a: 'FAILED' }, { redrivable: true });
    const result = await reconcileExecutions(deps([open('a')], fake.workflow));
    expect(fake.redriven).toEqual(['a']);
    expect(fake.started).toEqual([]);
    expect(result.redriven).toEqual(['a']);
  });

  it('follows the generations to the latest, and leaves a running one alone', async () => {
    const fake = fakes({ b: 'FAILED', 'b-g2': 'TIMED_OUT', 'b-g3': 'RUNNING' }, { redrivable: true });
    const result = await reconcileExecutions(deps([open('b')], fake.workflow));
    expect(fake.redriven).toEqual([]);
    expect(fake.started).toEqual([]);
    expect(result.checked).toBe(1);
  });

  it('starts the next generation when the latest cannot be redriven, and gives up past the cap', async () => {
    const fake = fakes({ c: 'FAILED', 'c-g2': 'ABORTED', d: 'FAILED', 'd-g2': 'FAILED', 'd-g3': 'FAILED' });
    const result = await reconcileExecutions(deps([open('c'), open('d')], fake.workflow), {
      graceSeconds: 0,
      maxGenerations: 3,
    });
    expect(fake.started).toEqual(['c-g3']);
    expect(result.gaveUp).toEqual(['d']);
  });

  it('starts anew an open application whose execution succeeded (it ended on a stale route)', async () => {
    const fake = fakes({ e: 'SUCCEEDED' }, { redrivable: true });
    await reconcileExecutions(deps([open('e')], fake.workflow));
    expect(fake.redriven).toEqual([]);
    expect(fake.started).toEqual(['e-g2']);
  });

  it('reports an application it could not act on, and goes on with the others', async () => {
    const fake = fakes({ g: 'FAILED' }, { redrivable: true });
    const failing = {
      ...fake.workflow,
      statusOf: async (name: string) => {
        if (name === 'f') throw new Error('ThrottlingException');
        return fake.workflow.statusOf(name);
      },
    };
    const result = await reconcileExecutions(deps([open('f'), open('g')], failing));
    expect(result.failed).toEqual(['f']);
    expect(result.redriven).toEqual(['g']);
  });
});
