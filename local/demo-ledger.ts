/**
 * The demo city's employment ledger, seeded by `npm start` once (skipped when it is there): a few
 * hundred made-up people in households in the six demo communities, registered over the last
 * year, most of them back in work by now, so the scorecard and the evaluation have something to
 * show on a fresh start. The communities differ on purpose: some meet every criterion, one misses
 * the rate, one let a zero-employment family stay open two months, one records changes late, one
 * has families opened in the last weeks.
 *
 * Every change is made by the same transitions as a request (`registerPerson`, `changeStatus`: the
 * rules, the household rule, the hash chain), in date order in memory, and written by the ledger's
 * repository in bulk (`recordInBulk`: the same items as a request's, MACed, the counters summed).
 */
import type {
  EmploymentKind,
  Household,
  LedgerEntry,
  LedgerStatus,
} from '../functions/employment/domain/employment-ledger.js';
import type { LedgerTransition } from '../functions/employment/domain/ledger-lifecycle.js';
import { registerPerson } from '../functions/employment/domain/registration.js';
import { changeStatus } from '../functions/employment/domain/status-changes.js';
import type { EmploymentLedgerRepository } from '../functions/employment/index.js';
import type { Actor } from '../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../functions/kernel/domain/dates.js';
import type { CityPolicy } from '../functions/kernel/domain/policy.js';
import { residentIdCheckChar } from '../functions/kernel/domain/resident-id.js';
import { residentIdKey } from '../functions/kernel/domain/resident-id-key.js';

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
  residentIdSecret: string;
  policy: CityPolicy;
  now: Date;
}

/** Seeds the demo ledger unless it is there; answers how many people it registered (0 when skipped). */
export async function seedDemoLedger(ledger: EmploymentLedgerRepository, options: DemoLedgerOptions): Promise<number> {
  if (await ledger.entry('demo-0001')) return 0;
  const today = shanghaiDate(options.now);
  const entries = new Map<string, LedgerEntry>();
  const households = new Map<string, Household>();
  const transitions: LedgerTransition[] = [];
  const staff = (communityId: string): Actor => ({
    sub: `staff-${communityId.slice('community:'.length)}`,
    role: 'community-staff',
    unit: communityId,
  });

  for (const step of plan(today)) {
    const at = new Date(
      Math.min(Date.parse(`${plusDays(step.on, step.lag)}T02:00:00Z`), options.now.getTime()),
    ).toISOString();
    let transition: LedgerTransition;
    if (step.registration) {
      const { idNumber, name, phone, certificateHolder, householdId, community } = step.registration;
      const household = households.get(householdId);
      transition = registerPerson({
        registration: {
          idNumber,
          name,
          phone,
          registeredOn: step.on,
          certificateHolder,
          household: household ? { id: householdId } : { new: {} },
          evidence: { kind: 'unemployment-registration' },
        },
        actor: staff(community.id),
        community: { id: community.id, path: [cityId, ...community.path, community.id] },
        policy: options.policy,
        personKey: residentIdKey(idNumber, options.residentIdSecret),
        household,
        ids: { entry: step.entryId, household: householdId },
        at,
      });
    } else {
      const entry = entries.get(step.entryId) as LedgerEntry;
      const household = households.get(entry.householdId) as Household;
      const change = { on: step.on, ...(step.change as NonNullable<Step['change']>) };
      transition = changeStatus(entry, household, change, staff(entry.communityId), { today, at });
    }
    transitions.push(transition);
    entries.set(transition.entry.id, transition.entry);
    households.set(transition.household.id, transition.household);
  }
  await ledger.recordInBulk(transitions);
  return entries.size;
}
