/**
 * POST /verification/flags/{id}/disposition — an auditor (稽核员) clears or confirms a suspicion
 * (疑点). It lives here, not in verification, because it changes the application (its
 * verification, version and history), which only this module writes; the suspicion's rules and
 * its item are verification's, written in the same transaction:
 * 1. the suspicion is read from the caller's city; out of sight → 404;
 * 2. who may: an auditor who neither took the application in, decided it, nor holds an approver's
 *    assignment over its units (the staff directory says which they hold today) → else 403;
 *    open, at the version the auditor read → else 409;
 * 3. one transaction: the suspicion (still open, at that version) and the application (at the
 *    version read: an approval or a return that got in first refuses it, and it is judged again).
 */
import {
  type ActorResolution,
  activeAssignments,
  type StaffRepository,
  staffRepository,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import {
  assertMayDispose,
  assertMaySeeSuspicion,
  disposed,
  dispositionParts,
  dispositionSchema,
  type SuspicionRepository,
  suspicionIdSchema,
  suspicionRepository,
} from '../../verification/index.js';
import { recordDisposition } from '../domain/suspicion-disposition.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies } from './dependencies.js';

export interface DispositionDependencies extends ChangeDependencies, ActorResolution {
  suspicions: Pick<SuspicionRepository, 'get'>;
  staff: Pick<StaffRepository, 'get'>;
  units: Pick<UnitRepository, 'get'>;
  tableName: string;
}

export function makeDisposeSuspicion(deps: DispositionDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const request = validated(dispositionSchema, jsonBody(event));
    if (!suspicionIdSchema.safeParse(id).success) throw new NotFoundError(`no suspicion ${id}`);
    const cityId = (await deps.units.get(actor.unit))?.path[0];
    const suspicion = cityId ? await deps.suspicions.get(cityId, id) : undefined;
    if (!suspicion) throw new NotFoundError(`no suspicion ${id}`);
    assertMaySeeSuspicion(suspicion, actor);
    const [stored, person] = await Promise.all([
      deps.applications.get(suspicion.applicationId),
      deps.staff.get(actor.sub),
    ]);
    if (!stored) throw new NotFoundError(`no suspicion ${id}`);
    const now = deps.now();
    assertMayDispose(
      suspicion,
      actor,
      {
        decidedBy: Object.values(stored.application.decidedBy),
        heldAssignments: person ? activeAssignments(person, shanghaiDate(now)) : [],
      },
      request.expectedVersion,
    );
    const next = disposed(suspicion, request, actor, now.toISOString());
    const { application } = await changeApplication(
      deps,
      suspicion.applicationId,
      ({ application }) =>
        recordDisposition(
          application,
          suspicion.id,
          { outcome: request.outcome, comment: next.disposition?.comment },
          actor,
          now.toISOString(),
        ),
      { parts: dispositionParts(deps.tableName, suspicion, next) },
    );
    // No figures in the answer: what the auditor judged they read already (and that read was audited).
    return json(200, {
      id: next.id,
      applicationId: next.applicationId,
      status: next.status,
      version: next.version,
      disposition: next.disposition,
      application: { id: application.id, version: application.version, status: application.status },
    });
  });
}

export const handler = builtOnFirstCall(() => {
  const table = tableFromEnvironment();
  return makeDisposeSuspicion({
    ...productionDependencies(),
    suspicions: suspicionRepository(table),
    staff: staffRepository(table),
    units: unitRepository(table),
    tableName: table.tableName,
  });
});
