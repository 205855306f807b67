/** The unit repository keeps what it read for a few minutes (mocked DynamoDB). */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { toItem } from '../../../functions/store/table.js';
import { unitCacheMs, unitRepository } from '../../../functions/store/units.js';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const gexin = {
  id: 'street:gexin',
  name: '革新街街道',
  path: ['city:shijiazhuang', 'district:xinhua', 'street:gexin'],
};
const table = { client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'subsidies' };

describe('units', () => {
  it('reads a unit once, answers it from memory until it is a few minutes old, then reads it again', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: toItem({ pk: 'UNIT#street:gexin', sk: 'META', type: 'unit', ...gexin }) });
    let now = 0;
    const units = unitRepository(table, () => now);

    expect(await units.get('street:gexin')).toEqual(gexin);
    now += unitCacheMs - 1;
    expect(await units.get('street:gexin')).toEqual(gexin);
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 1);

    now += 1;
    expect(await units.get('street:gexin')).toEqual(gexin);
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  it('does not remember a unit it did not find: one added later is found at once', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolves({ Item: toItem({ pk: 'UNIT#street:gexin', sk: 'META', type: 'unit', ...gexin }) });
    const units = unitRepository(table);

    expect(await units.get('street:gexin')).toBeUndefined();
    expect(await units.get('street:gexin')).toEqual(gexin);
  });
});
