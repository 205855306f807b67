/**
 * The demo city's employment ledger, seeded by `npm start` once (skipped when it is there): a few
 * hundred made-up people in households in the six demo communities, registered over the last
 * year, most of them back in work by now, so the scorecard and the evaluation have something to
 * show on a fresh start. The communities differ on purpose: some meet every criterion, one misses
 * the rate, one let a zero-employment family stay open two months, one records changes late, one
 * has families opened in the last weeks.
 *
 * Every change goes through the same preparation as a request (`prepareRecord`: the household
 * rule, the hash chain, the MACs), simulated in date order in memory, and the resulting items are
 * written with batch writes; the counters are the sum of what each event adds, as the incremental
 * ones would be (`ledgerCounterChanges`).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  addLedgerCounters,
  type EmploymentKind,
  entryAfterChange,
  type Household,
  type LedgerCounters,
  type LedgerStatus,
  retirementMonthOf,
} from '../functions/employment/domain/employment-ledger.js';
import {
  chainRecord,
  type LedgerChange,
  ledgerCounterChanges,
  ledgerEventMacMessage,
  ledgerHeadMacMessage,
  type StoredLedgerEntry,
  withMacs,
} from '../functions/employment/store/employment-ledger.js';
import type { HistoryMac } from '../functions/kernel/adapters/history-mac.js';
import { shanghaiDate } from '../functions/kernel/domain/dates.js';
import type { CityPolicy } from '../functions/kernel/domain/policy.js';
import { maskResidentId, residentIdCheckChar, residentIdFacts } from '../functions/kernel/domain/resident-id.js';
import { residentIdKey } from '../functions/kernel/domain/resident-id-key.js';
import { type Item, keys, type TableContext, toItem } from '../functions/kernel/store/table.js';
import { batchWrite } from '../functions/monitoring/store/counting.js';

const cityId = 'city:shijiazhuang';
const communities = [
  { id: 'community:gexin-01', path: ['district:xinhua', 'street:gexin'], quality: 'good' },
  { id: 'community:gexin-02', path: ['district:xinhua', 'street:gexin'], quality: 'low-rate' },
  { id: 'community:dongfeng-01', path: ['district:xinhua', 'street:dongfeng'], quality: 'long-open' },
  { id: 'community:dongfeng-02', path: ['district:xinhua', 'street:dongfeng'], quality: 'late' },
  { id: 'community:jianbei-01', path: ['district:changan', 'street:jianbei'], quality: 'good' },
  { id: 'community:jianbei-02', path: ['district:changan', 'street:jianbei'], quality: 'recent-open' },
] as const;
const householdsPerCommunity = 22;

const surnames = [...'王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗'];
const given = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
];
const kinds: EmploymentKind[] = ['enterprise', 'enterprise', 'flexible', 'self-employed', 'public-welfare-post'];

/** A small seeded generator (mulberry32): the same ledger on every fresh start. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
}

const dayMs = 86_400_000;
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

interface Step {
  on: string;
  /** Days after `on` it was recorded. */
  lag: number;
  entryId: string;
  order: number;
  registration?: {
    idNumber: string;
    name: string;
    phone: string;
    certificateHolder: boolean;
    householdId: string;
    community: (typeof communities)[number];
  };
  change?: { status: LedgerStatus; employment?: EmploymentKind; evidence: { kind: string; reference?: string } };
}

/** A made-up resident ID of the city (1301…), born on `birthDate`, sequence `n`. */
function residentId(birthDate: string, n: number, female: boolean): string {
  const seq = String(n % 100).padStart(2, '0');
  const sexDigit = (n % 5) * 2 + (female ? 0 : 1);
  const first17 = `130102${birthDate.replaceAll('-', '')}${seq}${sexDigit}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** The plan: every registration and status change, by community quality. */
function plan(today: string): Step[] {
  const r = random(18);
  const steps: Step[] = [];
  let people = 0;
  let order = 0;
  const latest = plusDays(today, -1);
  for (const community of communities) {
    for (let h = 0; h < householdsPerCommunity; h++) {
      const householdId = `demo-${community.id.slice('community:'.length)}-h${String(h + 1).padStart(2, '0')}`;
      const recentOpen = community.quality === 'recent-open' && h < 3;
      const start = plusDays(today, recentOpen ? -r.int(5, 20) : -r.int(60, 320));
      const size = r.int(1, 3);
      for (let m = 0; m < size; m++) {
        people++;
        const entryId = `demo-${String(people).padStart(4, '0')}`;
        const female = r.next() < 0.5;
        const birthDate = `${r.int(1972, 2000)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
        const registeredOn = plusDays(start, m === 0 ? 0 : r.int(0, 3));
        const lateLag = () => (community.quality === 'late' && r.next() < 0.3 ? r.int(20, 40) : r.int(0, 4));
        steps.push({
          on: registeredOn,
          lag: lateLag(),
          entryId,
          order: order++,
          registration: {
            idNumber: residentId(birthDate, people, female),
            name: `${r.pick(surnames)}${r.pick(given)}`,
            phone: `139${String(10_000_000 + people * 7919).slice(-8)}`,
            certificateHolder: r.next() < 0.4,
            householdId,
            community,
          },
        });
        // Who finds work, and when: the first member of a household soon (so families close
        // quickly), except where the community's quality says otherwise.
        let worksAfter: number | undefined;
        if (m === 0) {
          if (recentOpen) worksAfter = undefined;
          else if (community.quality === 'long-open' && h === 0) worksAfter = 60;
          else if (community.quality === 'low-rate' && r.next() < 0.35) worksAfter = undefined;
          else worksAfter = r.int(5, 25);
        } else if (r.next() < 0.12) {
          steps.push({
            on: plusDays(registeredOn, r.int(10, 40)),
            lag: lateLag(),
            entryId,
            order: order++,
            change: {
              status: 'left-labour-force',
              evidence: { kind: 'statement', reference: 'caring for a relative' },
            },
          });
          continue;
        } else {
          worksAfter = r.next() < (community.quality === 'low-rate' ? 0.6 : 0.97) ? r.int(15, 120) : undefined;
        }
        if (worksAfter === undefined) continue;
        const on = plusDays(registeredOn, worksAfter);
        if (on > latest) continue;
        const employment = r.pick(kinds);
        steps.push({
          on,
          lag: Math.min(
            lateLag(),
            Math.round((Date.parse(`${latest}T00:00:00Z`) - Date.parse(`${on}T00:00:00Z`)) / dayMs),
          ),
          entryId,
          order: order++,
          change: {
            status: 'employed',
            employment,
            evidence: {
              kind: employment === 'flexible' ? 'flexible-employment-registration' : 'employment-contract',
              reference: `D-${people}`,
            },
          },
        });
      }
    }
  }
  return steps.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.order - b.order));
}

export interface DemoLedgerOptions {
  historyMac: HistoryMac;
  residentIdSecret: string;
  policy: CityPolicy;
  now: Date;
}

/** Seeds the demo ledger unless it is there; answers how many people it registered (0 when skipped). */
export async function seedDemoLedger(table: TableContext, options: DemoLedgerOptions): Promise<number> {
  const seeded = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: toItem(keys.ledgerEntry('demo-0001')),
      ConsistentRead: true,
    }),
  );
  if (seeded.Item) return 0;
  const today = shanghaiDate(options.now);
  const entries = new Map<string, StoredLedgerEntry>();
  const households = new Map<string, Household>();
  const items = new Map<string, Item>();
  const counters = new Map<string, { pk: string; sk: string; add: LedgerCounters }>();
  const staff = (communityId: string) => ({
    sub: `staff-${communityId.slice('community:'.length)}`,
    role: 'community-staff',
    unit: communityId,
  });
  const keep = (item: Item) => items.set(`${item.pk}\u0000${item.sk}`, item);
  const chained: ReturnType<typeof chainRecord>[] = [];

  for (const step of plan(today)) {
    const at = new Date(
      Math.min(Date.parse(`${plusDays(step.on, step.lag)}T02:00:00Z`), options.now.getTime()),
    ).toISOString();
    let change: LedgerChange;
    if (step.registration) {
      const { idNumber, name, phone, certificateHolder, householdId, community } = step.registration;
      const unitPath = [cityId, ...community.path, community.id];
      const household: Household = households.get(householdId) ?? {
        id: householdId,
        cityId,
        communityId: community.id,
        unitPath,
        members: {},
        episodes: [],
        version: 0,
      };
      change = {
        entry: {
          id: step.entryId,
          cityId,
          communityId: community.id,
          unitPath,
          householdId,
          registeredOn: step.on,
          status: 'unemployed',
          statusSince: step.on,
          workingAgeUntil: retirementMonthOf(residentIdFacts(idNumber), options.policy),
          certificateHolder,
          version: 1,
          name,
          phone,
          idNumber: maskResidentId(idNumber),
          personKey: residentIdKey(idNumber, options.residentIdSecret),
          eventSeq: 0,
          lastEventHash: 'GENESIS',
          applications: [],
          updatedAt: at,
        },
        priorVersion: 0,
        household,
        priorHouseholdVersion: household.version,
        event: {
          at,
          on: step.on,
          action: 'registered',
          actor: staff(community.id),
          status: 'unemployed',
          certificateHolder,
          evidence: { kind: 'unemployment-registration' },
          unitPath,
          householdId,
        },
        registration: {},
      };
    } else {
      const entry = entries.get(step.entryId) as StoredLedgerEntry;
      const household = households.get(entry.householdId) as Household;
      const { status, employment, evidence } = step.change as NonNullable<Step['change']>;
      const next = entryAfterChange(entry, { on: step.on, status, ...(employment ? { employment } : {}) });
      change = {
        entry: { ...next, updatedAt: at },
        priorVersion: entry.version,
        household,
        priorHouseholdVersion: household.version,
        event: {
          at,
          on: step.on,
          action: 'status-changed',
          actor: staff(entry.communityId),
          statusBefore: entry.status,
          status,
          ...(employment ? { employment } : {}),
          certificateHolder: entry.certificateHolder,
          evidence,
          unitPath: entry.unitPath,
          householdId: entry.householdId,
        },
      };
    }
    const prepared = chainRecord(change);
    chained.push(prepared);
    entries.set(prepared.entry.id, prepared.entry);
    households.set(prepared.household.id, prepared.household);
    for (const c of ledgerCounterChanges(prepared.event)) {
      const id = `${c.key.pk}\u0000${c.key.sk}`;
      const into = counters.get(id) ?? { ...c.key, add: {} };
      addLedgerCounters(into.add, c.add);
      counters.set(id, into);
    }
  }
  // The MACs do not change what is chained: asked for all at once, a few dozen at a time, once the chains are made.
  const last = new Map(chained.map((c) => [c.entry.id, c]));
  for (let i = 0; i < chained.length; i += 64) {
    await Promise.all(
      chained.slice(i, i + 64).map(async (c) => {
        const [eventMac, headMac] = await Promise.all([
          options.historyMac.generate(ledgerEventMacMessage(c.entry.id, c.event.seq, c.event.hash)),
          last.get(c.entry.id) === c ? options.historyMac.generate(ledgerHeadMacMessage(c.entry)) : undefined,
        ]);
        withMacs(c, eventMac, headMac ?? '');
      }),
    );
  }
  // In chain order, so each entry and household item kept is its last state.
  for (const c of chained) for (const item of Object.values(c.items)) keep(item);
  for (const { pk, sk, add } of counters.values()) keep({ pk, sk, type: 'ledger-month', ...add });
  await batchWrite(
    table,
    [...items.values()].map((item) => ({ PutRequest: { Item: toItem(item) } })),
  );
  return entries.size;
}
