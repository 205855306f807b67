/** GET /me: the signed-in person's own record and today's assignments, for the console. */
import { describe, expect, it } from 'vitest';
import type { StaffRecord } from '../../../functions/administration/domain/staff.js';
import { makeMe } from '../../../functions/administration/http/me.js';
import { httpEvent, lambdaContext, parsed } from '../../../tools/support/http-events.js';

const liu: StaffRecord = {
  sub: 'approver-liu',
  name: '刘强',
  cityId: 'city:shijiazhuang',
  assignments: [
    { role: 'street-approver', unit: 'street:gexin', from: '2026-01-01' },
    { role: 'district-approver', unit: 'district:xinhua', from: '2026-01-01' },
    { role: 'community-staff', unit: 'community:gexin-01', from: '2025-01-01', to: '2025-12-31' },
  ],
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'admin-city',
};
const me = makeMe({
  staff: { get: async (sub) => (sub === liu.sub ? liu : undefined) },
  now: () => new Date('2026-11-28T03:00:00Z'),
});
const asLiu = (headers: Record<string, string> = {}) =>
  httpEvent({ actor: { sub: liu.sub, role: 'street-approver', unit: 'street:gexin' }, headers });

describe('GET /me', () => {
  it('answers the assignments in force today, not the lapsed ones', async () => {
    const answer = await me(asLiu(), lambdaContext);
    expect(answer.statusCode).toBe(200);
    expect(parsed(answer)).toEqual({
      sub: liu.sub,
      name: '刘强',
      cityId: 'city:shijiazhuang',
      assignments: [
        { role: 'street-approver', unit: 'street:gexin' },
        { role: 'district-approver', unit: 'district:xinhua' },
      ],
    });
  });

  it('refuses an X-Acting-As the person does not hold, as every route does', async () => {
    const lapsed = await me(asLiu({ 'x-acting-as': 'community-staff@community:gexin-01' }), lambdaContext);
    expect(lapsed.statusCode).toBe(403);
    expect(parsed(lapsed).assignments).toEqual(['street-approver@street:gexin', 'district-approver@district:xinhua']);
    const held = await me(asLiu({ 'x-acting-as': 'district-approver@district:xinhua' }), lambdaContext);
    expect(held.statusCode).toBe(200);
  });

  it('refuses a person who is not in the directory', async () => {
    const answer = await me(
      httpEvent({ actor: { sub: 'nobody', role: 'street-approver', unit: 'street:gexin' } }),
      lambdaContext,
    );
    expect(answer.statusCode).toBe(403);
  });
});
