/** An ineligible application through the synthesized state machine: stored as rejected, its execution finishes without waiting for anyone. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { actors, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('eligibility-workflow'),
    stepFunctionsPort: await freePort(),
    residentIdKey: 'v'.repeat(40),
  });
});
afterAll(() => stack?.stop());

describe('an ineligible application in the workflow', () => {
  it('is rejected at intake with its reasons and its execution succeeds at once', async () => {
    // A woman of 36 cannot have the 4050 flexible-employment subsidy.
    const body = contractBody('flexible-employment');
    const first17 = '13010519900101002';
    body.applicant.idNumber = first17 + residentIdCheckChar(first17);

    const answer = await apiAs(stack, actors.gexin01Staff).post('/applications', body);
    await stack.engine.whenIdle();

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'rejected', stage: null, eligible: false });
    expect(answer.body.eligibility).toContainEqual(expect.objectContaining({ ruleId: 'age-4050', passed: false }));
    const execution = stack.engine.describeExecution(stack.engine.executionArn(answer.body.id));
    expect(execution).toMatchObject({
      status: 'SUCCEEDED',
      output: { action: 'finish', status: 'rejected', version: 1 },
    });
  });
});
