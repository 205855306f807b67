/**
 * The local stand-in for IAM on the table: a handler's DynamoDB call is judged by what the
 * template grants its function, as on AWS, so a store call its manifest does not declare fails
 * every local test instead of only the deployed function.
 */
import { DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { asFunction, enforceTableGrants, requiredRights } from '../../../local/local-iam.js';

describe('the table grants, enforced locally', () => {
  it('names the right each call needs: the item action, Query on the index it names, each part of a transaction', () => {
    expect(requiredRights('QueryCommand', { IndexName: 'inbox' })).toEqual(['Query index/inbox']);
    expect(requiredRights('ScanCommand', {})).toEqual(['Scan table']);
    expect(
      requiredRights('TransactWriteItemsCommand', {
        TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }, { Delete: {} }],
      }),
    ).toEqual(['PutItem table', 'UpdateItem table', 'ConditionCheckItem table', 'DeleteItem table']);
  });

  it("refuses a function's call its grants lack, before it leaves the process", async () => {
    // Nothing listens there: a call let through would fail differently (a connection error).
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'cn-north-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    enforceTableGrants(client, new Map([['functions/reader.ts', new Set(['GetItem table', 'Query index/inbox'])]]));
    const asReader = <T>(call: () => Promise<T>) => asFunction('functions/reader.ts', call)();

    await expect(asReader(() => client.send(new ScanCommand({ TableName: 't' })))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('functions/reader.ts is not granted dynamodb:Scan on table'),
    });
    await expect(
      asReader(() => client.send(new QueryCommand({ TableName: 't', IndexName: 'escalations' }))),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const granted = asReader(() => client.send(new GetItemCommand({ TableName: 't', Key: {} })));
    await expect(granted).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
    client.destroy();
  });
});
