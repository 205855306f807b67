/** The unit repository keeps what it read for a few minutes (mocked DynamoDB). */
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { unitCacheMs, unitRepository } from '../../../functions/administration/store/units.js';
import { fromItem, toItem } from '../../../functions/kernel/store/table.js';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const gexin = {
  id: 'street:gexin',
  name: '革新街街道',
  path: ['city:shijiazhuang', 'district:xinhua', 'street:gexin'],
};
const rows = (withGexin: boolean) => [
  ['city:shijiazhuang', '石家庄市', null],
  ['district:xinhua', '新华区', 'city:shijiazhuang'],
  ...(withGexin ? [['street:gexin', '革新街街道', 'district:xinhua']] : []),
];

/** Answers GetItem by key: the claim of street:gexin, the city's head and its versions. */
function tableWith(versions: { [version: number]: unknown[] }, headVersion: () => number) {
  dynamo.on(GetItemCommand).callsFake((input: { Key: Parameters<typeof fromItem>[0] }) => {
    const { pk, sk } = fromItem(input.Key);
    if (['UNIT#street:gexin', 'UNIT#district:xinhua'].includes(String(pk)))
      return { Item: toItem({ pk, sk, cityId: 'city:shijiazhuang' }) };
    if (pk === 'UNITS#city:shijiazhuang' && sk === 'HEAD')
      return { Item: toItem({ pk, sk, version: headVersion(), at: '2026-01-01T00:00:00Z', by: 'seed', count: 3 }) };
    const version = Number(String(sk).slice(2));
    const tree = versions[version];
    if (pk === 'UNITS#city:shijiazhuang' && tree)
      return {
        Item: toItem({ pk, sk, version, at: '2026-01-01T00:00:00Z', by: 'seed', tree: gzipSync(JSON.stringify(tree)) }),
      };
    return {};
  });
}
const table = () => ({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'subsidies' });

describe('units', () => {
  it("reads a city's tree once, answers from memory until it is a few minutes old, then reads it again", async () => {
    tableWith({ 1: rows(true) }, () => 1);
    let now = 0;
    const units = unitRepository(table(), () => now);

    expect(await units.get('street:gexin')).toEqual(gexin);
    now += unitCacheMs - 1;
    expect(await units.get('street:gexin')).toEqual(gexin);
    expect(await units.get('district:xinhua')).toMatchObject({ path: ['city:shijiazhuang', 'district:xinhua'] });
    // The two claims, the head and the version: once each.
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 4);

    now += 1;
    expect(await units.get('street:gexin')).toEqual(gexin);
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 6);
  });

  it('reads the tree again at once for a unit claimed since: one just added is found at once', async () => {
    let head = 1;
    tableWith({ 1: rows(false), 2: rows(true) }, () => head);
    const units = unitRepository(table());

    expect(await units.get('district:xinhua')).toBeDefined();
    head = 2;
    expect(await units.get('street:gexin')).toEqual(gexin);
  });

  it('knows no unit no city has claimed', async () => {
    tableWith({ 1: rows(true) }, () => 1);
    expect(await unitRepository(table()).get('street:nowhere')).toBeUndefined();
  });
});
