/** What the suspicion queue's handlers act on, passed in so tests hand over their own; production wiring below. */
import {
  type ActorResolver,
  type PolicyRepository,
  policyRepository,
  productionActorResolver,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { NotFoundError } from '../../kernel/domain/errors.js';
import { type ReadAuditEntry, readAuditEntry } from '../../kernel/domain/read-audit.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import { type ReadAuditRepository, readAuditRepository } from '../../kernel/store/read-audit.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { suspicionFieldsRead } from '../domain/suspicion-views.js';
import type { Suspicion } from '../domain/suspicions.js';
import { type SuspicionRepository, suspicionRepository } from '../store/suspicions.js';

export interface SuspicionQueueDependencies {
  resolveActor: ActorResolver;
  suspicions: Pick<SuspicionRepository, 'get' | 'list'>;
  units: Pick<UnitRepository, 'get'>;
  /** The policy in force: how long a read's audit entry is kept. */
  policies: Pick<PolicyRepository, 'inForce'>;
  readAudit: Pick<ReadAuditRepository, 'record'>;
  now: () => Date;
}

export function productionSuspicionQueue(): SuspicionQueueDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    suspicions: suspicionRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    readAudit: readAuditRepository(table),
    now: () => new Date(),
  };
}

/** A unit's path from its city down, or the refusal an unknown id gets. */
export async function pathOf(deps: Pick<SuspicionQueueDependencies, 'units'>, unitId: string): Promise<string[]> {
  const unit = await deps.units.get(unitId);
  if (!unit) throw new NotFoundError(`no unit ${unitId}`);
  return unit.path;
}

/** Records that `actor` reads what the records say of the people behind these suspicions, before answering. */
export async function auditSuspicionReads(
  deps: Pick<SuspicionQueueDependencies, 'policies' | 'readAudit' | 'now'>,
  actor: Actor,
  suspicions: readonly Suspicion[],
  purpose: 'suspicion-detail' | 'suspicion-list',
): Promise<void> {
  const first = suspicions[0];
  if (!first) return;
  const now = deps.now();
  const policy = await deps.policies.inForce(first.cityId, shanghaiDate(now));
  const entries: ReadAuditEntry[] = suspicions.map((s) =>
    readAuditEntry(actor, { id: s.applicationId, unitPath: s.unitPath }, purpose, suspicionFieldsRead, now, policy),
  );
  await recordReads(deps.readAudit, entries);
}
