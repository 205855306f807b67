/**
 * Who is acting, and as what. The token (verified by API Gateway's JWT authorizer, or the local
 * server) proves only who the person is: its `sub`, or the claim the deployment names. Their role
 * and unit come from the staff directory, read at most `staffCacheMs` ago, and a request acts
 * under one assignment: the one its `X-Acting-As: role@unit` header names, or the person's only one.
 */

import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { type HttpEvent, HttpProblem } from '../../kernel/http/http.js';
import { environment } from '../../kernel/runtime/environment.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { actingAsHeader, chooseAssignment, type StaffRecord } from '../domain/staff.js';
import { type StaffRepository, staffRepository } from '../store/staff.js';

export type ActorResolver = (event: HttpEvent) => Promise<Actor>;

/** What a handler needs to know who calls it. */
export interface ActorResolution {
  resolveActor: ActorResolver;
}

/** A change in the directory (a revoked assignment) is in force everywhere within this time. */
export const staffCacheMs = 60_000;

/** The person the verified token names, or a 401 when the request carries no verified token. */
export function identityOf(event: HttpEvent, subClaim = 'sub'): string {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.[subClaim];
  if (typeof sub !== 'string' || sub.length === 0)
    throw new HttpProblem(401, 'Not signed in', `a bearer token naming the person (${subClaim}) is required`);
  return sub;
}

export function directoryActorResolver(
  staff: Pick<StaffRepository, 'get'>,
  options: { subClaim?: string; now?: () => Date; cacheMs?: number } = {},
): ActorResolver {
  const now = options.now ?? (() => new Date());
  const cacheMs = Math.min(options.cacheMs ?? staffCacheMs, staffCacheMs);
  const kept = new Map<string, { record: StaffRecord | undefined; until: number }>();
  async function record(sub: string): Promise<StaffRecord | undefined> {
    const hit = kept.get(sub);
    if (hit && hit.until > now().getTime()) return hit.record;
    const found = await staff.get(sub);
    if (kept.size > 10_000) kept.clear();
    kept.set(sub, { record: found, until: now().getTime() + cacheMs });
    return found;
  }
  return async (event) => {
    const sub = identityOf(event, options.subClaim);
    const person = await record(sub);
    if (!person)
      throw new HttpProblem(403, 'Not in the staff directory', `${sub} holds no assignment in the staff directory`);
    const requested = event.headers?.[actingAsHeader];
    const choice = chooseAssignment(person, shanghaiDate(now()), requested);
    if (choice.ok) return choice.actor;
    if (choice.reason === 'choose-one')
      throw new HttpProblem(
        400,
        'Assignment required',
        `${sub} holds several assignments: name one in the ${actingAsHeader} header (role@unit)`,
        [{ field: `header:${actingAsHeader}`, message: `one of ${choice.held.join(', ')}` }],
        { assignments: choice.held },
      );
    const detail =
      choice.reason === 'not-held'
        ? `${sub} does not hold ${requested} today`
        : `${sub} holds no assignment in force today`;
    throw new HttpProblem(403, 'Not allowed for this role or unit', detail, [], { assignments: choice.held });
  };
}

/** Production: the table's directory, the claim the deployment names (`STAFF_SUB_CLAIM`, `sub` by default). */
export function productionActorResolver(): ActorResolver {
  const { STAFF_SUB_CLAIM } = environment('STAFF_SUB_CLAIM');
  return directoryActorResolver(staffRepository(tableFromEnvironment()), { subClaim: STAFF_SUB_CLAIM ?? 'sub' });
}
