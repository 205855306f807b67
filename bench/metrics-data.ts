/**
 * Made-up but plausible history for the throughput benchmark: N applications over a year of the
 * demo city, each taken through street and city review with returns, resubmissions, rejections,
 * withdrawals and missed deadlines, as the counting events the aggregator would see. Seeded, so
 * every run measures the same data.
 */
import type { Stage } from '../functions/kernel/domain/application-events.js';
import { programmeIds } from '../functions/kernel/domain/programmes.js';
import type { CountableEvent } from '../functions/monitoring/domain/throughput.js';
import { demoCityUnits } from '../local/demo-city.js';

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hour = 3_600_000;

/** The events of `count` applications submitted between `from` and `to` (ISO instants). */
export function simulatedEvents(count: number, from: string, to: string, seed = 7): CountableEvent[] {
  const next = seededRandom(seed);
  const communities = demoCityUnits.filter((u) => u.id.startsWith('community:'));
  const start = Date.parse(from);
  const span = Date.parse(to) - start;
  const events: CountableEvent[] = [];
  for (let n = 0; n < count; n++) {
    const community = communities[Math.floor(next() * communities.length)] as (typeof communities)[number];
    const programme = programmeIds[Math.floor(next() * programmeIds.length)] as (typeof programmeIds)[number];
    let at = start + Math.floor(next() * span);
    let seq = 0;
    let stageEnteredAt = new Date(at).toISOString();
    const applicationId = `bench-${n}`;
    const push = (
      action: CountableEvent['action'],
      stage: Stage,
      stageAfter: Stage | null,
      extra: Partial<CountableEvent> = {},
    ) => {
      const iso = new Date(at).toISOString();
      events.push({
        applicationId,
        seq: ++seq,
        at: iso,
        action,
        stage,
        stageAfter,
        programme,
        unitPath: community.path,
        stageEnteredAt,
        ...extra,
      });
      if (stage !== stageAfter) stageEnteredAt = iso;
    };
    push('submitted', 'community', 'street');
    let stage: 'street' | 'city' | null = 'street';
    let returns = 0;
    while (stage) {
      const wait = (2 + next() * 200) * hour;
      if (wait > 10 * 24 * hour) push('overdue', stage, stage);
      at += wait;
      if (at > start + span) break; // still waiting at the end of the period
      const roll = next();
      if (roll < 0.03) {
        push('withdrawn', stage, null);
        stage = null;
      } else if (roll < 0.1) {
        push('rejected', stage, null);
        stage = null;
      } else if (roll < 0.2 && returns < 3) {
        returns++;
        push('returned', stage, 'community');
        at += (1 + next() * 72) * hour;
        push('resubmitted', 'community', stage);
      } else if (stage === 'street') {
        push('approved', 'street', 'city');
        stage = 'city';
      } else {
        push('approved', 'city', null, { grantedFen: 50_000 * (1 + Math.floor(next() * 12)) });
        stage = null;
      }
    }
  }
  return events;
}
