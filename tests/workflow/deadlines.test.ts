/**
 * Waits that time out: the synthesized definition with waits shortened to one second by the
 * stack's own setting, so a timed-out wait routes again and the passed deadline is recorded,
 * escalated, and shown in the supervisor's inbox — and the execution waits on, never lost.
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keys, toItem } from '../../functions/store/table.js';
import { synthesizeTemplate } from '../../infra/synthesize.js';
import { startLocalStack, type LocalStack } from '../../local/runtime.js';
import { apiAs } from '../support/api-client.js';
import { actors, contractBody } from '../support/fixtures.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: synthesizeTemplate({ wakeUpEvery: Duration.seconds(1) }),
    tableName: `deadlines-${Date.now()}`,
    residentIdKey: 'd'.repeat(40),
  });
});
afterAll(() => stack?.stop());

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

describe('deadlines on the running workflow', () => {
  it('records an overdue stage after a timed-out wait, escalates it, and keeps waiting for the decision', async () => {
    const staff = apiAs(stack.apiUrl, actors.gexin02Staff);
    const { id } = (await staff.post('/applications', contractBody('post-subsidy'))).body;
    await stack.engine.whenIdle();

    // The deadline passed yesterday: as if the street had sat on it for weeks.
    const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: toItem(keys.application(id)),
        UpdateExpression: 'SET dueAt = :past',
        ExpressionAttributeValues: toItem({ ':past': new Date(Date.now() - 86_400_000).toISOString() }),
      }),
    );
    client.destroy();

    const shown = await until(async () => {
      const body = (await staff.get(`/applications/${id}`)).body;
      return body.overdue ? body : undefined;
    }, 'the overdue event');
    expect(shown).toMatchObject({ status: 'in_review', stage: 'street', version: 1, escalatedTo: 'district:xinhua', historyIntact: true });
    expect(shown.history.map((e: { action: string }) => e.action)).toEqual(['submitted', 'overdue']);
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('RUNNING');

    const district = { sub: 'approver-xinhua', role: 'district-approver' as const, unit: 'district:xinhua' };
    const inbox = (await apiAs(stack.apiUrl, district).get('/inbox')).body;
    expect(inbox.escalated.items.map((i: { id: string }) => i.id)).toContain(id);

    const decided = await apiAs(stack.apiUrl, actors.gexinApprover).post(`/applications/${id}/decisions`, { decision: 'approve', expectedVersion: 1 });
    expect(decided.body).toMatchObject({ stage: 'city', overdue: false });
    await until(async () => ((await staff.get(`/applications/${id}`)).body.stage === 'city' ? true : undefined), 'the city stage');
    expect((await apiAs(stack.apiUrl, district).get('/inbox')).body.escalated.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });
});
