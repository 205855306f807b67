/**
 * Waits that time out: the synthesized definition with the longest wait shortened to one second
 * by the stack's own setting, so a timed-out wait routes again and a deadline changed behind the
 * product's back (so the deadline-due index does not know it) is still recorded by the routing,
 * escalated, and shown in the supervisor's inbox — and the execution waits on, never lost. A
 * deadline the holiday schedules now count differently is moved the same way. (Deadlines the
 * index knows are recorded by the sweep: `waits-until-due.test.ts`.)
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deadlineAfter } from '../../functions/applications/domain/deadlines.js';
import type { DeadlineClock } from '../../functions/applications/domain/lifecycle.js';
import { chinaHolidayCalendars } from '../../functions/kernel/domain/working-days.js';
import { keys, toItem } from '../../functions/kernel/store/table.js';
import { synthesizeTemplate } from '../../infra/synthesize.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: synthesizeTemplate({ longestWait: Duration.seconds(1) }),
    tableName: testTableName('deadlines'),
    residentIdKey: 'd'.repeat(40),
  });
});
afterAll(() => stack?.stop());

/** Rewrites an application's deadline in the table, behind the product's back. */
async function setDeadline(id: string, deadline: { dueAt: string; deadlineClock?: DeadlineClock }): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = Object.keys(deadline);
  await client.send(
    new UpdateItemCommand({
      TableName: stack.tableName,
      Key: toItem(keys.application(id)),
      UpdateExpression: `SET ${names.map((name) => `${name} = :${name}`).join(', ')}`,
      ExpressionAttributeValues: toItem(
        Object.fromEntries(names.map((name) => [`:${name}`, deadline[name as keyof typeof deadline]])),
      ),
    }),
  );
  client.destroy();
}

describe('deadlines on the running workflow', () => {
  it('records an overdue stage after a timed-out wait, escalates it, and keeps waiting for the decision', async () => {
    const staff = apiAs(stack, actors.gexin02Staff);
    const { id } = (await staff.post('/applications', contractBody('post-subsidy'))).body;
    await stack.engine.whenIdle();

    // As if the street had sat on it for weeks: entered 30 days ago with one working day to decide.
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await setDeadline(id, {
      deadlineClock: { from, workingDays: 1 },
      dueAt: deadlineAfter(from, 1, chinaHolidayCalendars),
    });

    const shown = await eventually('the overdue event', async () => {
      const body = (await staff.get(`/applications/${id}`)).body;
      return body.overdue ? body : undefined;
    });
    expect(shown).toMatchObject({
      status: 'in_review',
      stage: 'street',
      version: 1,
      escalatedTo: 'district:xinhua',
      historyIntact: true,
    });
    expect(shown.history.map((e: { action: string }) => e.action)).toEqual(['submitted', 'overdue']);
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('RUNNING');

    const district = { sub: 'approver-xinhua', role: 'district-approver' as const, unit: 'district:xinhua' };
    const inbox = (await apiAs(stack, district).get('/inbox')).body;
    expect(inbox.escalated.items.map((i: { id: string }) => i.id)).toContain(id);

    const decided = await apiAs(stack, actors.gexinApprover).post(`/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: 1,
    });
    expect(decided.body).toMatchObject({ stage: 'city', overdue: false });
    await eventually('the city stage', async () =>
      (await staff.get(`/applications/${id}`)).body.stage === 'city' ? true : undefined,
    );
    expect(
      (await apiAs(stack, district).get('/inbox')).body.escalated.items.map((i: { id: string }) => i.id),
    ).not.toContain(id);
  });

  it('counts a deadline again when the holiday schedules give another day, records it, and waits on', async () => {
    const staff = apiAs(stack, actors.gexin02Staff);
    // Another person: the first test's applicant still has a post-subsidy application open.
    const { id } = (await staff.post('/applications', asPerson(contractBody('post-subsidy'), 4801))).body;
    await stack.engine.whenIdle();
    const { dueAt } = (await staff.get(`/applications/${id}`)).body;

    // A day early, as a deadline counted before a year's holidays were added is.
    const early = new Date(Date.parse(dueAt) - 86_400_000).toISOString();
    await setDeadline(id, { dueAt: early });

    const shown = await eventually('the deadline counted again', async () => {
      const body = (await staff.get(`/applications/${id}`)).body;
      return body.dueAt === dueAt ? body : undefined;
    });
    expect(shown).toMatchObject({
      status: 'in_review',
      stage: 'street',
      version: 1,
      overdue: false,
      historyIntact: true,
    });
    expect(shown.history.map((e: { action: string }) => e.action)).toEqual(['submitted', 'rescheduled']);
    expect(shown.history[1].comment).toContain(`was ${early}`);
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('RUNNING');
  });
});
