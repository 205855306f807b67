/**
 * GET /me — who the token names and the assignments they hold today: what the console offers a
 * person (and which `X-Acting-As` to send when they hold several). Their own record only.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { HttpProblem, httpHandler, json } from '../../kernel/http/http.js';
import { environment } from '../../kernel/runtime/environment.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { actingAsHeader, activeAssignments, chooseAssignment, type Me } from '../domain/staff.js';
import { type StaffRepository, staffRepository } from '../store/staff.js';
import { identityOf } from './actor-resolver.js';

export function makeMe(deps: { staff: Pick<StaffRepository, 'get'>; subClaim?: string; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return httpHandler(async (event) => {
    const sub = identityOf(event, deps.subClaim);
    const record = await deps.staff.get(sub);
    if (!record)
      throw new HttpProblem(403, 'Not in the staff directory', `${sub} holds no assignment in the staff directory`);
    const today = shanghaiDate(now());
    // An X-Acting-As the person does not hold is refused here as on every other route, so the
    // console learns at once that a remembered choice has lapsed.
    const requested = event.headers?.[actingAsHeader];
    if (requested !== undefined) {
      const choice = chooseAssignment(record, today, requested);
      if (!choice.ok && choice.reason === 'not-held')
        throw new HttpProblem(403, 'Not allowed for this role or unit', `${sub} does not hold ${requested} today`, [], {
          assignments: choice.held,
        });
    }
    const assignments = activeAssignments(record, today).map(({ role, unit }) => ({ role, unit }));
    return json(200, { sub, name: record.name, cityId: record.cityId, assignments } satisfies Me);
  });
}

export const handler = builtOnFirstCall(() => {
  const { STAFF_SUB_CLAIM } = environment('STAFF_SUB_CLAIM');
  return makeMe({ staff: staffRepository(tableFromEnvironment()), subClaim: STAFF_SUB_CLAIM ?? 'sub' });
});
