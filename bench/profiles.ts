/**
 * Dwell profiles: the same applications as the throughput run, but each held at each stage for
 * a simulated time, so the waits' wake-ups, reminders, overdue flags and escalations are in the
 * count. All applications of a profile move in step: submitted together, then the clock is
 * moved on to the moment each stage is decided (firing every wait that falls due on the way),
 * then decided together.
 */
import { deadlineAfter } from '../functions/applications/domain/deadlines.js';
import { chinaHolidayCalendars } from '../functions/kernel/domain/working-days.js';
import type { LocalStack } from '../local/runtime.js';
import type { SimulatedClock } from './clock.js';

export type ProfileName = 'instant' | 'typical' | 'fullDeadline' | 'returned';

/** What happens to each application, in order: a person's action, or the clock moving on. */
type Step =
  | { kind: 'submit' }
  | { kind: 'decide'; level: 'street' | 'city'; decision: 'approve' | 'return'; expectedVersion: number }
  | { kind: 'resubmit'; expectedVersion: number }
  /** Until 10:00 Shanghai on the `workingDays`-th working day after the last action. */
  | { kind: 'dwell'; workingDays: number }
  /** Until an hour after the stage's deadline (10 working days): reminder, overdue and escalation fire. */
  | { kind: 'pastDeadline' };

export const profiles: Record<ProfileName, { description: string; steps: Step[] }> = {
  instant: {
    description: 'street and city approve at once',
    steps: [
      { kind: 'submit' },
      { kind: 'decide', level: 'street', decision: 'approve', expectedVersion: 1 },
      { kind: 'decide', level: 'city', decision: 'approve', expectedVersion: 2 },
    ],
  },
  typical: {
    description: '5 working days at the street, 5 at the city, then approved',
    steps: [
      { kind: 'submit' },
      { kind: 'dwell', workingDays: 5 },
      { kind: 'decide', level: 'street', decision: 'approve', expectedVersion: 1 },
      { kind: 'dwell', workingDays: 5 },
      { kind: 'decide', level: 'city', decision: 'approve', expectedVersion: 2 },
    ],
  },
  fullDeadline: {
    description:
      'each stage decided an hour after its 10-working-day deadline: a reminder, then overdue with escalation, at both',
    steps: [
      { kind: 'submit' },
      { kind: 'pastDeadline' },
      { kind: 'decide', level: 'street', decision: 'approve', expectedVersion: 1 },
      { kind: 'pastDeadline' },
      { kind: 'decide', level: 'city', decision: 'approve', expectedVersion: 2 },
    ],
  },
  returned: {
    description: 'returned by the street at once, resubmitted after 10 working days, then typical (5 + 5)',
    steps: [
      { kind: 'submit' },
      { kind: 'decide', level: 'street', decision: 'return', expectedVersion: 1 },
      { kind: 'dwell', workingDays: 10 },
      { kind: 'resubmit', expectedVersion: 2 },
      { kind: 'dwell', workingDays: 5 },
      { kind: 'decide', level: 'street', decision: 'approve', expectedVersion: 3 },
      { kind: 'dwell', workingDays: 5 },
      { kind: 'decide', level: 'city', decision: 'approve', expectedVersion: 4 },
    ],
  },
};

/** Monday 2 March 2026, 09:00 in Shanghai: inside the holiday schedules the product holds. */
export const profileStart = '2026-03-02T01:00:00.000Z';

const tenInTheMorning = (endOfDay: string) => new Date(Date.parse(endOfDay) - 14 * 3_600_000 + 1).toISOString();

export interface ProfileApplication {
  body: { communityId: string };
  street: string;
}

/** Runs one profile over `applications` with `c` concurrent clients; answers the ids approved and the failures. */
export async function runProfile(
  stack: LocalStack,
  clock: SimulatedClock,
  name: ProfileName,
  applications: ProfileApplication[],
  c: number,
  runTag: string,
  onRequest: () => void,
): Promise<{ failures: string[]; simulatedDays: number }> {
  clock.set(profileStart);
  // Settled: the engine idle, and the deadline sweep run at this moment (as the every-minute rule
  // would within a minute), which also arms it at the next moment anything falls due.
  const settle = async () => {
    await new Promise((tick) => setImmediate(tick));
    await stack.engine.whenIdle();
    await stack.deadlineSweep.sweepNow();
    await stack.engine.whenIdle();
  };
  // The bench people were signed in (given their assignment) before the run; a token is minted
  // again on each call because the simulated clock moves by days and a token lives for hours.
  const token = (sub: string, _role: string, _unit: string) => stack.tokenOf(sub);
  const staff = (community: string) => token(`bench-staff-${community.split(':')[1]}`, 'community-staff', community);
  const approver = (level: 'street' | 'city', street: string) =>
    level === 'street'
      ? token(`bench-approver-${street.split(':')[1]}`, 'street-approver', street)
      : token('bench-approver-city', 'city-approver', 'city:shijiazhuang');
  const failures: string[] = [];
  const ids: (string | undefined)[] = [];
  let lastAction = profileStart;

  async function call(method: string, path: string, bearer: string, body?: unknown, headers = {}) {
    onRequest();
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  async function each(act: (index: number) => Promise<void>) {
    let next = 0;
    await Promise.all(
      Array.from({ length: c }, async () => {
        for (let index = next++; index < applications.length; index = next++) await act(index);
      }),
    );
    await settle();
    lastAction = new Date().toISOString();
  }

  for (const step of profiles[name].steps) {
    switch (step.kind) {
      case 'submit':
        await each(async (index) => {
          const { body } = applications[index]!;
          const answer = await call('POST', '/applications', await staff(body.communityId), body, {
            'idempotency-key': `profile-${runTag}-${name}-${index}`,
          });
          if (answer.status === 201) ids[index] = String(answer.body.id);
          else failures.push(`submit ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
        });
        break;
      case 'dwell':
        await clock.advanceTo(
          tenInTheMorning(deadlineAfter(lastAction, step.workingDays, chinaHolidayCalendars)),
          settle,
        );
        break;
      case 'pastDeadline':
        await clock.advanceTo(Date.parse(deadlineAfter(lastAction, 10, chinaHolidayCalendars)) + 3_600_000, settle);
        break;
      case 'decide':
        await each(async (index) => {
          const id = ids[index];
          if (!id) return;
          for (let attempt = 0; ; attempt++) {
            const answer = await call(
              'POST',
              `/applications/${id}/decisions`,
              await approver(step.level, applications[index]!.street),
              {
                decision: step.decision,
                expectedVersion: step.expectedVersion,
                ...(step.decision === 'return' ? { comment: '请补充材料' } : {}),
              },
            );
            if (answer.status === 200) return;
            // A decision racing the workflow's own write of its task token gets 409: tried again.
            if (answer.status !== 409 || attempt >= 20) {
              ids[index] = undefined;
              return void failures.push(`${step.level} ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
            }
            await new Promise((wait) => setTimeout(wait, 5 + attempt * 5));
          }
        });
        break;
      case 'resubmit':
        await each(async (index) => {
          const id = ids[index];
          if (!id) return;
          const answer = await call(
            'POST',
            `/applications/${id}/resubmit`,
            await staff(applications[index]!.body.communityId),
            { expectedVersion: step.expectedVersion, comment: '已补充' },
          );
          if (answer.status !== 200) {
            ids[index] = undefined;
            failures.push(`resubmit ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        });
        break;
    }
  }
  return { failures, simulatedDays: (Date.now() - Date.parse(profileStart)) / 86_400_000 };
}
