/**
 * The deadline sweep on DynamoDB Local: it finds in the deadline-due index what has fallen due
 * and records each deadline event exactly once, however many sweeps run at once; an application
 * moves along the index as its events are recorded, and leaves it when nothing more can fall due.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { submitApplication } from '../../functions/applications/domain/intake.js';
import { type ApplicationRepository, applicationRepository } from '../../functions/applications/store/applications.js';
import { type DeadlineIndex, deadlineIndex } from '../../functions/applications/store/deadline-index.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { keys, type TableContext, tableDesign, toItem } from '../../functions/kernel/store/table.js';
import { makeSweepDeadlines } from '../../functions/workflow/scheduled/sweep-deadlines.js';
import { actors, eligibleParts } from '../../tools/support/fixtures.js';
import { freshTable } from '../support/dynamo.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const submittedAt = '2026-11-28T02:00:00.000Z'; // due Friday 11 December, reminded from Wednesday 9
let applications: ApplicationRepository;
let deadlines: DeadlineIndex;
let table: TableContext;

beforeAll(async () => {
  table = await freshTable();
  applications = applicationRepository(table);
  deadlines = deadlineIndex(table);
});

async function submit(id: string) {
  const { application, event } = submitApplication(
    {
      id,
      programme: 'post-subsidy',
      communityPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
      applicant: {
        name: '李建国',
        idNumber: '1301**********0115',
        phone: '13800000002',
        proof: { kind: 'hard-to-employ', number: 'KN-1' },
      },
      applicantKey: `key-${id}`,
      ...eligibleParts('post-subsidy'),
    },
    actors.gexin01Staff,
    policy,
    submittedAt,
  );
  await applications.create({ application, event });
}

const sweepAt = (now: string) =>
  makeSweepDeadlines({ applications, deadlines, policies: policyRepository(table), now: () => new Date(now) });
const actionsOf = async (id: string) => (await applications.history(id)).map((event) => event.action);

describe('the deadline sweep', () => {
  it('records each due event once with four sweeps at once, and moves the application along the index', async () => {
    const ids = ['sweep-1', 'sweep-2', 'sweep-3'];
    for (const id of ids) await submit(id);

    // Nothing is due before the reminder's day.
    expect(await sweepAt('2026-12-08T15:59:59.000Z')()).toEqual({ due: 0, recorded: 0 });

    const reminderDay = '2026-12-08T16:30:00.000Z';
    const answers = await Promise.all([1, 2, 3, 4].map(() => sweepAt(reminderDay)()));
    expect(answers.reduce((total, answer) => total + answer.recorded, 0)).toBe(ids.length);
    for (const id of ids) expect(await actionsOf(id)).toEqual(['submitted', 'reminded']);
    expect(await deadlines.nextDueAfter(reminderDay)).toBe('2026-12-11T16:00:00.000Z');

    const pastDeadline = '2026-12-11T17:00:00.000Z';
    await Promise.all([1, 2].map(() => sweepAt(pastDeadline)()));
    for (const id of ids) {
      expect(await actionsOf(id)).toEqual(['submitted', 'reminded', 'overdue']);
      expect((await applications.get(id))?.application).toMatchObject({
        overdue: true,
        escalatedTo: 'district:xinhua',
        version: 1,
      });
    }
    // Nothing more can fall due: the index holds none of them.
    expect(await deadlines.due('2027-12-31T00:00:00.000Z', 1000)).toEqual([]);
    expect(await deadlines.nextDueAfter(pastDeadline)).toBeUndefined();
  });

  it('finds an application stored before the index once it is reindexed (RerouteWaiting, a local restart)', async () => {
    await submit('sweep-old');
    const { partitionKey, sortKey } = tableDesign.indexes.deadlineDue;
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.application('sweep-old')),
        UpdateExpression: `REMOVE ${partitionKey}, ${sortKey}`,
      }),
    );
    const reminderDay = '2026-12-08T16:30:00.000Z';
    expect(await sweepAt(reminderDay)()).toEqual({ due: 0, recorded: 0 });

    const { application } = (await applications.get('sweep-old'))!;
    expect(await deadlines.reindex(application)).toBe(true);
    expect(await sweepAt(reminderDay)()).toEqual({ due: 1, recorded: 1 });
    // A reindex from a stale read writes nothing: whoever changed the application wrote its keys.
    expect(await deadlines.reindex(application)).toBe(false);
    expect(await actionsOf('sweep-old')).toEqual(['submitted', 'reminded']);
  });
});
