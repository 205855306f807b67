/**
 * The staff directory on one machine: the demo people seeded at start-up, and the assignment
 * `npm run token -- --role R --unit U [--sub S]` (or a test) gives a made-up person. Local only:
 * on AWS a city's administrator changes the directory through `PUT /staff/{sub}`, logged.
 */

import type { StaffRecord } from '../functions/administration/domain/staff.js';
import { staffRepository } from '../functions/administration/store/staff.js';
import type { Actor } from '../functions/kernel/domain/actor.js';
import type { TableContext } from '../functions/kernel/store/table.js';
import { demoPeople } from './demo-people.js';

const since = '2020-01-01';

function recordOf(
  person: { sub: string; name: string; role: Actor['role']; unit: string },
  cityId: string,
): StaffRecord {
  return {
    sub: person.sub,
    cityId,
    name: person.name,
    assignments: [{ role: person.role, unit: person.unit, from: since }],
    version: 1,
    updatedAt: new Date().toISOString(),
    updatedBy: 'npm-start',
  };
}

/** Seeds each demo person not in the directory yet (an administrator's later changes are kept). */
export async function seedDemoPeople(table: TableContext): Promise<void> {
  const staff = staffRepository(table);
  for (const person of demoPeople) {
    if (!(await staff.get(person.sub, true))) await staff.seed(recordOf(person, 'city:shijiazhuang'));
  }
}

/**
 * Gives `actor.sub` `actor`'s assignment (from 2020): as their only one (`npm run token`), or
 * beside those they hold in the same city (tests, whose requests name it in `X-Acting-As`).
 * Answers whether the directory was changed. The city is the unit's root.
 */
export async function giveAssignment(
  table: TableContext,
  actor: Actor,
  cityId: string,
  { keepOthers = false } = {},
): Promise<boolean> {
  const staff = staffRepository(table);
  const prior = await staff.get(actor.sub, true);
  const holds = (prior?.cityId === cityId ? prior.assignments : []).filter(
    (a) => a.role === actor.role && a.unit === actor.unit,
  );
  if (holds.length > 0 && (keepOthers || prior?.assignments.length === 1)) return false;
  const demo = demoPeople.find((p) => p.sub === actor.sub);
  const record = recordOf({ ...actor, name: prior?.name ?? demo?.name ?? actor.sub }, cityId);
  const others = keepOthers && prior?.cityId === cityId ? prior.assignments : [];
  await staff.seed({
    ...record,
    assignments: [...others, ...record.assignments],
    version: (prior?.version ?? 0) + 1,
    updatedBy: 'npm-run-token',
  });
  return true;
}
