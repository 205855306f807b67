/**
 * A second city goes live without a code change: Baoding, onboarded on the running local stack
 * only through the API (its first administrator bootstrapped as `npm run token -- --role
 * city-admin --unit city:baoding` does; then units, policy and staff by that administrator), takes
 * an application through its own chain (street → district → city). Then every route of the API,
 * called by each of one city's people against the other's things, refuses or shows nothing of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.js';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { shijiazhuang2026v1 } from '../../functions/kernel/domain/policies/shijiazhuang-2026.1.js';
import { chinaHolidayCalendars, type HolidayCalendar } from '../../functions/kernel/domain/working-days.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { asPerson, contractBody } from '../../tools/support/fixtures.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: `tenants-${Date.now()}`,
    stepFunctionsPort: await freePort(),
    residentIdKey: 't'.repeat(40),
  });
});
afterAll(() => stack?.stop());

interface Answer {
  status: number;
  text: string;
  // Whatever JSON the API answered; the tests assert on its fields.
  body: any;
}
/** Calls as a person the directory knows, with a token of the local sign-in. */
function as(sub: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await stack.tokenOf(sub)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, text, body: parsed };
  };
  return {
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
  };
}

const baodingUnits = [
  { id: 'city:baoding', name: '保定市', parent: null, level: 'city' },
  { id: 'district:lianchi', name: '莲池区', parent: 'city:baoding', level: 'district' },
  { id: 'street:xiguan', name: '西关街道', parent: 'district:lianchi', level: 'street' },
  { id: 'community:xiguan-01', name: '西关第一社区', parent: 'street:xiguan', level: 'community' },
];
const baodingPeople = {
  'bd-staff': { name: '韩梅', role: 'community-staff', unit: 'community:xiguan-01' },
  'bd-street': { name: '田亮', role: 'street-approver', unit: 'street:xiguan' },
  'bd-district': { name: '冯刚', role: 'district-approver', unit: 'district:lianchi' },
  'bd-city': { name: '邓超', role: 'city-approver', unit: 'city:baoding' },
  'bd-monitor': { name: '贾玲', role: 'city-monitor', unit: 'city:baoding' },
} as const;
const today = shanghaiDate(new Date());

const cities = {
  baoding: {
    people: ['admin-baoding', ...Object.keys(baodingPeople)],
    /** Words only Baoding's own answers contain (names are never in another city's requests). */
    marks: ['保定', '莲池', '西关', '韩梅', '田亮', '冯刚', '邓超', '贾玲'],
  },
  shijiazhuang: {
    people: ['admin-city', 'staff-gexin-02', 'approver-gexin', 'approver-city', 'monitor-city'],
    marks: ['石家庄', '新华区', '革新', '东风', '建北', '马军', '刘洋', '赵磊', '郑伟', '何静'],
  },
};
/** Things of each city the other's people will aim at. */
const things: Record<
  keyof typeof cities,
  {
    applicationId: string;
    version: number;
    endpointId: string;
    sub: string;
    community: string;
    street: string;
    city: string;
    policy: string;
    ledgerEntryId: string;
    householdId: string;
  }
> = {} as never;

describe('a second city, onboarded through the API', () => {
  it('bootstraps its first administrator, who imports units, publishes the policy and takes staff in', async () => {
    // The bootstrap: a platform operator gives the first administrator the role (locally: npm run token).
    await stack.tokenFor({ sub: 'admin-baoding', role: 'city-admin', unit: 'city:baoding' });
    const admin = as('admin-baoding');
    expect((await admin.put('/units', { units: baodingUnits })).body).toMatchObject({
      cityId: 'city:baoding',
      version: 1,
      count: 4,
    });
    const policy = {
      ...shijiazhuang2026v1,
      cityId: 'city:baoding',
      version: 'baoding-2026.1',
      effectiveFrom: today,
      approvalChain: ['street', 'district', 'city'],
    };
    expect((await admin.post('/policies', policy)).status).toBe(201);
    for (const [sub, person] of Object.entries(baodingPeople)) {
      const put = await admin.put(`/staff/${sub}`, {
        name: person.name,
        assignments: [{ role: person.role, unit: person.unit, from: '2026-01-01' }],
      });
      expect(put.status).toBe(200);
    }
    expect((await admin.get('/admin-log')).body).toMatchObject({ cityId: 'city:baoding', intact: true });
    expect((await admin.get('/admin-log')).body.items.map((e: { action: string }) => e.action)).toEqual([
      'units.put',
      'policy.publish',
      ...Object.keys(baodingPeople).map(() => 'staff.put'),
    ]);
  });

  it('takes an application through street, district and city', async () => {
    const body = { ...asPerson(contractBody('post-subsidy'), 9001), communityId: 'community:xiguan-01' };
    const submitted = await as('bd-staff').post('/applications', body);
    expect(submitted.body).toMatchObject({
      status: 'in_review',
      stage: 'street',
      cityId: 'city:baoding',
      policyVersion: 'baoding-2026.1',
      unitPath: ['city:baoding', 'district:lianchi', 'street:xiguan', 'community:xiguan-01'],
    });
    const id = submitted.body.id as string;
    await stack.engine.whenIdle();
    let version = 1;
    for (const [sub, next] of [
      ['bd-street', 'district'],
      ['bd-district', 'city'],
      ['bd-city', null],
    ] as const) {
      expect((await as('bd-city').get(`/inbox`)).status).toBe(200);
      const decided = await as(sub).post(`/applications/${id}/decisions`, {
        decision: 'approve',
        expectedVersion: version,
      });
      expect(decided.status).toBe(200);
      expect(decided.body.stage).toBe(next);
      version = decided.body.version;
      await stack.engine.whenIdle();
    }
    const done = await as('bd-monitor').get(`/applications/${id}`);
    expect(done.body).toMatchObject({ status: 'approved', historyIntact: true });
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('SUCCEEDED');

    // Something open in each city, with a webhook endpoint, for the other city to aim at.
    const open = await as('bd-staff').post('/applications', {
      ...asPerson(contractBody('post-subsidy'), 9002),
      communityId: 'community:xiguan-01',
    });
    const sjz = await as('staff-gexin-02').post('/applications', asPerson(contractBody('post-subsidy'), 9003));
    await stack.engine.whenIdle();
    for (const [city, staff, answer, sub, community, street, cityId, policy] of [
      [
        'baoding',
        'bd-staff',
        open,
        'bd-street',
        'community:xiguan-01',
        'street:xiguan',
        'city:baoding',
        'baoding-2026.1',
      ],
      [
        'shijiazhuang',
        'staff-gexin-02',
        sjz,
        'approver-gexin',
        'community:gexin-02',
        'street:gexin',
        'city:shijiazhuang',
        'shijiazhuang-2026.1',
      ],
    ] as const) {
      expect(answer.status).toBe(201);
      const endpoint = await as(staff).post('/webhook-endpoints', {
        url: 'http://127.0.0.1:9/hook',
        events: ['application.approved'],
        applicationId: answer.body.id,
      });
      expect(endpoint.status).toBe(201);
      // A person in the city's employment ledger, in a household of its own.
      const registered = await as(staff).post('/ledger/entries', {
        idNumber: asPerson(contractBody('microloan-guarantee'), city === 'baoding' ? 9201 : 9202).applicant.idNumber,
        name: city === 'baoding' ? '韩梅梅' : '刘洋洋',
        registeredOn: today,
        household: { new: {} },
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      things[city] = {
        ledgerEntryId: registered.body.id,
        householdId: registered.body.household.id,
        applicationId: answer.body.id,
        version: answer.body.version,
        endpointId: endpoint.body.id,
        sub,
        community,
        street,
        city: cityId,
        policy,
      };
    }
  });

  it('puts its calendar, validated, and counts its waiting deadlines again on it at once', async () => {
    const admin = as('admin-baoding');
    const refused = await admin.put('/calendars/2026', { holidays: ['2027-01-01'], makeUpWorkdays: [], source: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].message).toMatch(/outside 2026/);
    const id = things.baoding.applicationId;
    const before = (await as('bd-street').get(`/applications/${id}`)).body;
    // A made-up extra week off from tomorrow (Shanghai), on top of the shipped 2026 schedule.
    const shipped = chinaHolidayCalendars.find((c) => c.year === 2026) as HolidayCalendar;
    const next = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));
    const extra = [1, 2, 3, 4, 5].map(next).filter((d) => d.startsWith('2026-') && !shipped.makeUpWorkdays.includes(d));
    const put = await admin.put('/calendars/2026', {
      ...shipped,
      year: undefined,
      holidays: [...new Set([...shipped.holidays, ...extra])],
    });
    expect(put.body).toMatchObject({ cityId: 'city:baoding', year: 2026, changed: true });
    await stack.engine.whenIdle();
    const after = (await as('bd-street').get(`/applications/${id}`)).body;
    if (extra.length > 0) {
      expect(after.dueAt > before.dueAt).toBe(true);
      expect(after.history.at(-1)).toMatchObject({ action: 'rescheduled' });
    }
    things.baoding.version = after.version;
    // Shijiazhuang's deadlines are its own: its calendar is unchanged.
    expect((await as('admin-city').get('/calendars')).body.items).toEqual(chinaHolidayCalendars);
    expect((await admin.get('/admin-log')).body.items.at(-1)).toMatchObject({ action: 'calendar.put', target: '2026' });
  });

  /** The id a route's `{id}` names when aimed at `target`'s things. */
  const idAimedAt = (route: (typeof apiRoutes)[number], target: (typeof things)[keyof typeof things]) =>
    route.path.startsWith('/applications')
      ? target.applicationId
      : route.path.startsWith('/ledger')
        ? target.ledgerEntryId
        : target.endpointId;

  /** The request each route gets when aimed at `target`'s things. */
  function requestAt(route: (typeof apiRoutes)[number], target: (typeof things)[keyof typeof things]) {
    const path = route.path
      .replace('{id}', idAimedAt(route, target))
      .replace('{sub}', target.sub)
      .replace('{year}', '2026')
      .replace('{month}', '2026-11');
    const query: Record<string, string> = {
      '/inbox': `?communityId=${target.community}`,
      '/applications': route.method === 'GET' ? `?communityId=${target.community}` : '',
      '/webhook-endpoints': route.method === 'GET' ? `?applicationId=${target.applicationId}` : '',
      '/metrics/throughput': `?from=2026-01-01&to=2026-12-31&unit=${target.street}`,
      '/metrics/throughput.csv': `?from=2026-01-01&to=2026-12-31&unit=${target.street}`,
      '/staff': `?unit=${target.street}`,
      '/policies/diff': `?from=${target.policy}&to=${target.policy}`,
      '/ledger/entries': route.method === 'GET' ? `?community=${target.community}` : '',
      '/scorecard': `?period=2026&unit=${target.street}`,
      '/scorecard.csv': `?period=2026&unit=${target.street}`,
      '/verification/flags': `?unit=${target.street}`,
    };
    const bodies: Record<string, unknown> = {
      'POST /applications': { ...asPerson(contractBody('post-subsidy'), 9100), communityId: target.community },
      'POST /applications/eligibility-check': { ...contractBody('post-subsidy'), communityId: target.community },
      'POST /applications/{id}/decisions': { decision: 'approve', expectedVersion: target.version },
      'POST /applications/{id}/resubmit': { expectedVersion: target.version },
      'POST /applications/{id}/withdraw': { expectedVersion: target.version },
      'POST /decisions/batch': {
        decisions: [{ applicationId: target.applicationId, expectedVersion: target.version }],
      },
      'POST /webhook-endpoints': {
        url: 'http://127.0.0.1:9/x',
        events: ['application.approved'],
        applicationId: target.applicationId,
      },
      'PUT /staff/{sub}': {
        name: '某人',
        assignments: [{ role: 'street-approver', unit: target.street, from: '2026-01-01' }],
      },
      'PUT /calendars/{year}': { holidays: [], makeUpWorkdays: [], source: 'none' },
      'POST /ledger/entries': {
        idNumber: asPerson(contractBody('microloan-guarantee'), 9203).applicant.idNumber,
        name: '某人',
        registeredOn: today,
        household: { id: target.householdId },
      },
      'POST /ledger/entries/{id}/changes': {
        on: today,
        status: 'left-labour-force',
        evidence: { kind: 'statement' },
      },
      // The evaluation is always the caller's own city's (like a calendar): nothing in it names another.
      'POST /evaluations/{year}': {},
      // The other city's person of the ledger: an export finds nothing of them here.
      'POST /people/export': {
        idNumber: asPerson(contractBody('microloan-guarantee'), target.city.includes('baoding') ? 9201 : 9202).applicant
          .idNumber,
      },
      'POST /evaluations/{year}/approval': {},
      'POST /verification/flags/{id}/disposition': {
        outcome: 'cleared',
        evidence: { kind: 'on-site-visit', reference: '走访记录' },
        expectedVersion: 1,
      },
      'POST /verification/runs': { month: '2026-11' },
      'POST /inbox/notices/{id}/acknowledgement': {},
      'PUT /units': { units: [{ id: target.city, name: '某市', parent: null, level: 'city' }] },
      'POST /policies': {
        ...shijiazhuang2026v1,
        cityId: target.city,
        version: `${target.policy}-x`,
        effectiveFrom: '2099-01-01',
      },
    };
    const key = `${route.method} ${route.path}`;
    if (route.method !== 'GET' && route.method !== 'DELETE' && !(key in bodies) && !route.path.includes('webhook'))
      throw new Error(`no request aimed at another city for ${key}: add one`);
    return {
      path: `${path}${query[route.path] ?? ''}`,
      body: bodies[key] ?? (route.method === 'POST' ? {} : undefined),
    };
  }

  it.each([
    ['baoding', 'shijiazhuang'],
    ['shijiazhuang', 'baoding'],
  ] as const)("%s's people can neither see nor touch anything of %s, on any route", async (from, to) => {
    const target = things[to];
    const before = await as(to === 'baoding' ? 'bd-staff' : 'staff-gexin-02').get(
      `/applications/${target.applicationId}`,
    );
    const adminOf = to === 'baoding' ? 'admin-baoding' : 'admin-city';
    const logBefore = (await as(adminOf).get('/admin-log')).body.items.length;
    const calendarsBefore = (await as(adminOf).get('/calendars')).body;
    for (const route of apiRoutes.filter((r) => r.authorized)) {
      const { path, body } = requestAt(route, target);
      for (const sub of cities[from].people) {
        const answer = await as(sub).call(route.method, path, body);
        const where = `${sub}: ${route.method} ${path} → ${answer.status} ${answer.text.slice(0, 200)}`;
        // A listing of the caller's own city may answer; nothing else aimed at the other city may succeed.
        // (A batch answers 200 with each item's own refusal.)
        if (route.path === '/decisions/batch') expect(answer.body.succeeded, where).toBe(0);
        // A calendar is each city's own: the caller's city's is put (and the other's checked unchanged below).
        else if (answer.status < 300)
          expect(
            (route.method === 'GET' && !route.path.includes('{')) ||
              route.path === '/calendars/{year}' ||
              // A year's evaluation and published list are the caller's own city's: no path names another's.
              route.path.startsWith('/evaluations/') ||
              route.path.startsWith('/full-employment-communities/') ||
              // A month's re-check is of the caller's own city's grants: no request names another's.
              route.path.startsWith('/verification/runs'),
            where,
          ).toBe(true);
        expect(answer.status, where).not.toBe(500);
        for (const mark of cities[to].marks) expect(answer.text.includes(mark), `${where} shows ${mark}`).toBe(false);
        // A thing of the other city is answered exactly as an id that does not exist: the same status
        // and the same body (but for the id asked), so no answer confirms that it exists.
        if (route.path.includes('{id}')) {
          const id = idAimedAt(route, target);
          const madeUp = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
          const nowhere = await as(sub).call(route.method, path.replace(id, madeUp), body);
          expect(answer.status, `${where} (made-up id: ${nowhere.status})`).toBe(nowhere.status);
          expect(answer.text, where).toBe(nowhere.text.replaceAll(madeUp, id));
        }
      }
    }
    await stack.engine.whenIdle();
    const after = await as(to === 'baoding' ? 'bd-staff' : 'staff-gexin-02').get(
      `/applications/${target.applicationId}`,
    );
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.history.length).toBe(before.body.history.length);
    expect((await as(adminOf).get('/admin-log')).body.items.length).toBe(logBefore);
    expect((await as(adminOf).get('/units')).body.version).toBe(1);
    expect((await as(adminOf).get('/calendars')).body).toEqual(calendarsBefore);
  });

  it("takes in and decides the same person in both cities, and tells one city of the other's grant only that it exists", async () => {
    const baodingGrant = things.baoding;
    // Baoding approved person 9001's post subsidy, and person 9002's application is open there.
    const sameApproved = asPerson(contractBody('post-subsidy'), 9001);
    const sameOpen = asPerson(contractBody('post-subsidy'), 9002);
    const baodingIds = (await as('bd-staff').get('/applications?communityId=community:xiguan-01')).body.items.map(
      (a: { id: string }) => a.id,
    ) as string[];
    expect(baodingIds.length).toBeGreaterThanOrEqual(2);

    // Intake in Shijiazhuang neither refuses nor names Baoding's active application of the person.
    const open = await as('staff-gexin-02').post('/applications', sameOpen);
    const approvedThere = await as('staff-gexin-02').post('/applications', sameApproved);
    for (const answer of [open, approvedThere]) {
      expect(answer.status, answer.text).toBe(201);
      for (const id of baodingIds) expect(answer.text).not.toContain(id);
    }
    await stack.engine.whenIdle();

    // The street passes it; the city's final approval meets the national rule.
    const id = approvedThere.body.id as string;
    const street = await as('approver-gexin').post(`/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: 1,
    });
    expect(street.status, street.text).toBe(200);
    await stack.engine.whenIdle();
    const refused = await as('approver-city').post(`/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: street.body.version,
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({ title: 'Refused by the benefit ledger', conflictingApplicationIds: [] });
    expect(refused.body.violations).toEqual([{ rule: 'held-elsewhere', message: expect.any(String) }]);
    // Nothing of Baoding's grant: not its application, city, amount or period.
    for (const baodingId of baodingIds) expect(refused.text).not.toContain(baodingId);
    for (const mark of [...cities.baoding.marks, 'baoding', baodingGrant.city])
      expect(refused.text).not.toContain(mark);
    const { period } = sameApproved.details as { period: { start: string } };
    expect(refused.text).not.toContain(period.start);
    expect(refused.text).not.toMatch(/fen|amount/i);

    // Within the city the staff still learn which of its own applications holds the person.
    const again = await as('staff-gexin-02').post('/applications', sameOpen);
    expect(again.status).toBe(409);
    expect(again.body.existingApplicationId).toBe(open.body.id);
  });
});
