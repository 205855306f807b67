import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDecideApplication } from '../../../functions/api/decide-application.js';
import type { ApiDependencies } from '../../../functions/api/dependencies.js';
import { submitApplication } from '../../../functions/domain/lifecycle.js';
import { policyInForce } from '../../../functions/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/domain/policy.js';
import { stepFunctionsWorkflow } from '../../../functions/sfn/executions.js';
import { applicationRepository } from '../../../functions/store/applications.js';
import { inboxRepository } from '../../../functions/store/inbox.js';
import { keys, toItem } from '../../../functions/store/table.js';
import { unitRepository } from '../../../functions/store/units.js';
import { actors, eligibleParts } from '../../support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../support/http-events.js';

const dynamo = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
afterEach(() => {
  dynamo.reset();
  sfn.reset();
});

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const table = { client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'subsidies' };
const deps: ApiDependencies = {
  resolveActor: actorFromTestClaims,
  applications: applicationRepository(table),
  inbox: inboxRepository(table),
  units: unitRepository(table),
  workflow: stepFunctionsWorkflow(new SFNClient({ region: 'us-east-1' }), 'arn:aws:states:us-east-1:1:stateMachine:x'),
  now: () => new Date('2026-11-28T03:00:00Z'),
  newApplicationId: () => 'app-1',
  residentIdSecret: 'x'.repeat(32),
  publishMetrics: () => undefined,
};
const decideApplication = makeDecideApplication(deps);

const stored = submitApplication(
  {
    id: 'app-1',
    programme: 'post-subsidy',
    communityPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
    applicant: {
      name: '王秀英',
      idNumber: '1301**********0240',
      phone: '13800000001',
      proof: { kind: 'hard-to-employ', number: 'KN-1' },
    },
    applicantKey: 'key',
    ...eligibleParts('post-subsidy'),
  },
  actors.gexin01Staff,
  policy,
  '2026-11-28T02:00:00.000Z',
).application;
const storedItem = toItem({
  ...keys.application('app-1'),
  type: 'application',
  ...stored,
  taskToken: 'token-1',
  waitingState: 'AwaitDecision',
  waitingInput: {},
});

const decision = (body: unknown, actor = actors.gexinApprover) =>
  decideApplication(httpEvent({ actor, body, pathParameters: { id: 'app-1' } }), lambdaContext);

describe('deciding an application (handler, mocked AWS)', () => {
  it('writes the decision conditionally on version and token, then releases the waiting execution', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: storedItem });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});

    const result = await decision({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ status: 'in_review', stage: 'city', version: 2 });
    const write = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input;
    expect(write?.TransactItems?.[0]?.Update?.ConditionExpression).toBe(
      'version = :version AND eventSeq = :seq AND taskToken = :token',
    );
    expect(write?.TransactItems?.[1]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
  });

  it('releases a token the workflow recorded between the read and the write, instead of refusing the decision', async () => {
    const readBeforeToken = toItem({ ...keys.application('app-1'), type: 'application', ...stored });
    dynamo.on(GetItemCommand).resolves({ Item: readBeforeToken });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({
      Attributes: toItem({
        ...stored,
        taskToken: 'late-token',
        waitingState: 'AwaitDecision',
        waitingInput: {},
        waitingVersion: 1,
      }),
    });
    sfn.on(SendTaskSuccessCommand).resolves({});

    const result = await decision({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(
      dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems?.[0]?.Update?.ConditionExpression,
    ).toBe('version = :version AND eventSeq = :seq');
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, {
      ConditionExpression: expect.stringContaining('waitingVersion < :version'),
    });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'late-token' });
  });

  it('releases nothing when no token was recorded before the write', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: toItem({ ...keys.application('app-1'), type: 'application', ...stored }) });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: 'no token', $metadata: {} }));

    const result = await decision({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('answers 409 on a stale version and writes nothing', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: storedItem });

    const result = await decision({ decision: 'approve', expectedVersion: 7 });

    expect(result.statusCode).toBe(409);
    expect(parsed(result)).toMatchObject({ status: 409, currentVersion: 1 });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteItemsCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('answers 409 when a concurrent decision wins the conditional write', async () => {
    const decided = toItem({
      ...keys.application('app-1'),
      type: 'application',
      ...stored,
      version: 2,
      eventSeq: 2,
      stage: 'city',
    });
    dynamo.on(GetItemCommand).resolvesOnce({ Item: storedItem }).resolves({ Item: decided });
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    const result = await decision({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(409);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('answers 403 to an approver of another street', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: storedItem });
    const result = await decision({ decision: 'approve', expectedVersion: 1 }, actors.dongfengApprover);
    expect(result.statusCode).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteItemsCommand);
  });

  it('answers 404 for an unknown application', async () => {
    dynamo.on(GetItemCommand).resolves({});
    expect((await decision({ decision: 'approve', expectedVersion: 1 })).statusCode).toBe(404);
  });

  it('answers 422 naming the field when a rejection has no reason, and 400 for a body that is not JSON', async () => {
    const missingReason = await decision({ decision: 'reject', expectedVersion: 1 });
    expect(missingReason.statusCode).toBe(422);
    expect(missingReason.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(parsed(missingReason).errors).toEqual([expect.objectContaining({ field: 'reason' })]);

    const notJson = await decideApplication(
      httpEvent({ actor: actors.gexinApprover, rawBody: '{"decision":', pathParameters: { id: 'app-1' } }),
      lambdaContext,
    );
    expect(notJson.statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(GetItemCommand);
  });

  it('answers 401 without verified claims', async () => {
    const result = await decideApplication(
      httpEvent({ body: { decision: 'approve', expectedVersion: 1 }, pathParameters: { id: 'app-1' } }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(401);
  });

  it('keeps the decision when the execution no longer waits for the token', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: storedItem });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));

    const result = await decision({ decision: 'approve', expectedVersion: 1 });

    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
  });
});
