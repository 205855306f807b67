/**
 * Model-based test: random sequences of submit, approve, reject, return, resubmit and withdraw,
 * by random actors (right and wrong ones), against the running product. After every step the
 * stored application, its history and its execution must agree with a simple model, and no
 * forbidden transition may appear in the history.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { ownBusiness } from '../../tools/support/exchange-double.js';
import { actors, asPerson, type ContractBody, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('model'),
    residentIdKey: 'm'.repeat(40),
  });
  // Everyone signs in once first: the directory then holds each person's assignments (one person
  // holds two) before any request reads it; each request names the one it acts under.
  for (const person of people) await stack.tokenFor(person);
});
afterAll(() => stack?.stop());

type Status = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
interface ModelApplication {
  id: string;
  body: ContractBody;
  community: string;
  submittedBy: string;
  status: Status;
  stage: string | null;
  returnedFrom?: string;
  version: number;
  returnRound: number;
  decidedBy: Record<string, string>;
  events: number;
}
interface Model {
  applications: ModelApplication[];
}
interface Real {
  stack: LocalStack;
}

const people: Actor[] = [
  actors.gexin01Staff,
  actors.gexin02Staff,
  actors.jianbei01Staff,
  actors.gexinApprover,
  actors.gexinApprover2,
  actors.dongfengApprover,
  actors.jianbeiApprover,
  actors.cityApprover,
  { sub: 'approver-city-2', role: 'city-approver', unit: 'city:shijiazhuang' },
  // Someone who approved at the street and is now acting for the city: segregation of duties refuses them.
  { sub: actors.gexinApprover.sub, role: 'city-approver', unit: 'city:shijiazhuang' },
];
const bodies: ContractBody[] = ['public-welfare-post', 'flexible-employment', 'post-subsidy', 'microloan-guarantee'];
const staffFor = (community: string) =>
  people.find((p) => p.role === 'community-staff' && p.unit === community) as Actor;
const streetOf = (community: string) => `street:${community.slice('community:'.length).replace(/-\d+$/, '')}`;
const isFinal = (status: Status) => status === 'approved' || status === 'rejected' || status === 'withdrawn';
const maxReturnRounds = 3;

/** The model's verdict on a decision: the status code the API must answer. */
function decisionVerdict(app: ModelApplication, actor: Actor, kind: string, expectedVersion: number): number {
  const approverRoles = ['street-approver', 'district-approver', 'city-approver'];
  // Out of scope first, and answered as an id that does not exist, whatever the role.
  const covers =
    actor.unit === 'city:shijiazhuang' || actor.unit === streetOf(app.community) || actor.unit === app.community;
  if (!covers) return 404;
  if (!approverRoles.includes(actor.role)) return 403;
  if (expectedVersion !== app.version || app.status !== 'in_review') return 409;
  const stageUnit = app.stage === 'street' ? streetOf(app.community) : 'city:shijiazhuang';
  if (actor.role !== `${app.stage}-approver` || actor.unit !== stageUnit) return 403;
  if (actor.sub === app.submittedBy) return 403;
  if (Object.entries(app.decidedBy).some(([stage, sub]) => stage !== app.stage && sub === actor.sub)) return 403;
  if (kind === 'return' && app.returnRound >= maxReturnRounds) return 422;
  return 200;
}

async function settle(real: Real) {
  await real.stack.engine.whenIdle();
}

/** Everything the product stores about one application agrees with the model. */
async function agrees(real: Real, app: ModelApplication) {
  const shown = (await apiAs(real.stack, actors.cityApprover).get(`/applications/${app.id}`)).body;
  expect(shown).toMatchObject({
    status: app.status,
    stage: app.stage,
    version: app.version,
    returnRound: app.returnRound,
    historyIntact: true,
  });
  expect(shown.history).toHaveLength(app.events);
  const allowed = new Set([
    'submitted:community>street',
    'approved:street>city',
    'approved:city>null',
    'rejected:street>null',
    'rejected:city>null',
    'returned:street>community',
    'returned:city>community',
    'resubmitted:community>street',
    'resubmitted:community>city',
    'withdrawn:street>null',
    'withdrawn:city>null',
    'withdrawn:community>null',
  ]);
  for (const event of shown.history) expect(allowed).toContain(`${event.action}:${event.stage}>${event.stageAfter}`);
  const execution = real.stack.engine.describeExecution(real.stack.engine.executionArn(app.id));
  if (isFinal(app.status)) expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { status: app.status } });
  else expect(execution.status).toBe('RUNNING');
}

let applicants = 0;

class Submit implements fc.AsyncCommand<Model, Real> {
  constructor(readonly body: ContractBody) {}
  check = (model: Readonly<Model>) => model.applications.length < 3;
  async run(model: Model, real: Real) {
    // Each submission its own person: one active application per person and programme, one grant per month.
    let body = asPerson(contractBody(this.body), ++applicants);
    if (this.body === 'microloan-guarantee') {
      const own = ownBusiness(body, applicants);
      real.stack.exchange.put({ entities: [own.entity] });
      body = own.body;
    }
    const staff = staffFor(body.communityId);
    const answer = await apiAs(real.stack, staff).post('/applications', body);
    expect(answer.status).toBe(201);
    await settle(real);
    const app: ModelApplication = {
      id: answer.body.id,
      body: this.body,
      community: body.communityId,
      submittedBy: staff.sub,
      status: 'in_review',
      stage: 'street',
      version: 1,
      returnRound: 0,
      decidedBy: {},
      events: 1,
    };
    model.applications.push(app);
    await agrees(real, app);
  }
  toString = () => `submit(${this.body})`;
}

class Decide implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly actor: Actor,
    readonly kind: 'approve' | 'reject' | 'return',
    readonly stale: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.applications.length > 0;
  async run(model: Model, real: Real) {
    const app = model.applications[this.pick % model.applications.length] as ModelApplication;
    const expectedVersion = this.stale ? app.version - 1 || 1 : app.version;
    const body =
      this.kind === 'approve'
        ? { decision: 'approve', expectedVersion }
        : this.kind === 'reject'
          ? { decision: 'reject', expectedVersion, reason: 'not-eligible' }
          : { decision: 'return', expectedVersion, comment: '请补充材料' };
    const verdict = decisionVerdict(app, this.actor, this.kind, expectedVersion);
    const answer = await apiAs(real.stack, this.actor).post(`/applications/${app.id}/decisions`, body);
    await settle(real);
    expect(answer.status).toBe(verdict);
    if (verdict === 200) {
      const stage = app.stage as string;
      app.decidedBy[stage] = this.actor.sub;
      app.version++;
      app.events++;
      if (this.kind === 'approve') {
        if (stage === 'street') app.stage = 'city';
        else Object.assign(app, { status: 'approved', stage: null });
      } else if (this.kind === 'reject') Object.assign(app, { status: 'rejected', stage: null });
      else
        Object.assign(app, {
          status: 'returned',
          stage: 'community',
          returnedFrom: stage,
          returnRound: app.returnRound + 1,
        });
    }
    await agrees(real, app);
  }
  toString = () =>
    `decide(#${this.pick}, ${this.actor.sub}/${this.actor.role}, ${this.kind}${this.stale ? ', stale' : ''})`;
}

class CommunityAction implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly actor: Actor,
    readonly action: 'resubmit' | 'withdraw',
  ) {}
  check = (model: Readonly<Model>) => model.applications.length > 0;
  async run(model: Model, real: Real) {
    const app = model.applications[this.pick % model.applications.length] as ModelApplication;
    const answer = await apiAs(real.stack, this.actor).post(`/applications/${app.id}/${this.action}`, {
      expectedVersion: app.version,
    });
    await settle(real);
    const ownStaff = this.actor.role === 'community-staff' && this.actor.unit === app.community;
    const covers = ownStaff || this.actor.unit === 'city:shijiazhuang' || this.actor.unit === streetOf(app.community);
    const open = this.action === 'resubmit' ? app.status === 'returned' : !isFinal(app.status);
    const verdict = !covers ? 404 : !ownStaff ? 403 : open ? 200 : 409;
    expect(answer.status).toBe(verdict);
    if (verdict === 200) {
      app.version++;
      app.events++;
      if (this.action === 'resubmit')
        Object.assign(app, { status: 'in_review', stage: app.returnedFrom, returnedFrom: undefined });
      else Object.assign(app, { status: 'withdrawn', stage: null, returnedFrom: undefined });
    }
    await agrees(real, app);
  }
  toString = () => `${this.action}(#${this.pick}, ${this.actor.sub})`;
}

const actor = fc.constantFrom(...people);
const decision = fc
  .tuple(
    fc.nat(),
    actor,
    fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const, 'return' as const),
    fc.boolean(),
  )
  .map(([pick, who, kind, stale]) => new Decide(pick, who, kind, stale));
// Decisions are listed three times: most of an application's life is approvers acting on it.
const commands = [
  fc.constantFrom(...bodies).map((body) => new Submit(body)),
  decision,
  decision,
  decision,
  fc
    .tuple(fc.nat(), actor, fc.constantFrom('resubmit' as const, 'withdraw' as const))
    .map(([pick, who, action]) => new CommunityAction(pick, who, action)),
];

describe('the approval lifecycle against a model', () => {
  it('keeps status, history and execution in agreement through random actions by random people', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (sequence) => {
        await fc.asyncModelRun(() => ({ model: { applications: [] }, real: { stack } }), sequence);
      }),
      { numRuns: 60 },
    );
  }, 480_000);
});
