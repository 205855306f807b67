/**
 * Snapshot files under the local stack, as `npm start` runs them: a file dropped into the data
 * directory's exchange-snapshots/ is imported by the deployed importer's handler, under its own
 * grants (local IAM), its report written beside it; the next look does not offer it again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { snapshotDataExchange } from '../../functions/verification/index.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { testTableName } from '../support/dynamo.js';

const residentIdKey = 's'.repeat(40);
const first17 = '13010219620312001';
const idNumber = `${first17}${residentIdCheckChar(first17)}`;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('snapshots'),
    residentIdKey,
    snapshotIntervalMs: 0,
  });
});
afterAll(() => stack?.stop());

describe('snapshot files under the local stack', () => {
  it('imports a file dropped into the folder, once, and answers from it', async () => {
    const folder = join(stack.snapshotFiles.dir, 'exchange-snapshots', 'city:shijiazhuang', 'deaths', '2026-05-31');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, '民政.csv');
    writeFileSync(file, `身份证号,死亡日期\n${idNumber},2026-05-20\n`);
    // The watcher leaves a file changed in the last second for its next look (it may still be written).
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const [outcome] = await stack.snapshotFiles.scanNow();
    const report = JSON.parse(readFileSync(`${file}.report.json`, 'utf8'));
    const table = { client: new DynamoDBClient({ endpoint: stack.dynamoEndpoint }), tableName: stack.tableName };
    const answer = await snapshotDataExchange({ table, residentIdSecret: residentIdKey }).ask('city:shijiazhuang', {
      source: 'deaths',
      idNumber,
    });

    expect(outcome).toMatchObject({ outcome: 'imported', report: { rowsKept: 1, current: true } });
    expect(report).toEqual(outcome);
    expect(answer).toEqual({ source: 'deaths', asOf: '2026-05-31', died: { on: '2026-05-20' } });
    expect(await stack.snapshotFiles.scanNow()).toEqual([]);
    table.client.destroy();
  });
});
