/**
 * What the city administration routes act on (staff directory, administration log, units,
 * policies, calendars), and the one check every one of them makes first: the caller acts as
 * `city-admin` of a city, and touches only that city's things.
 */
import type { Actor, Role } from '../../kernel/domain/actor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type AdminLogRepository, adminLogRepository } from '../store/admin-log.js';
import { type CalendarRepository, calendarRepository } from '../store/calendars.js';
import { type PolicyRepository, policyRepository } from '../store/policies.js';
import { type StaffRepository, staffRepository } from '../store/staff.js';
import { type UnitRepository, unitRepository } from '../store/units.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';

export interface AdminDependencies extends ActorResolution {
  staff: StaffRepository;
  adminLog: AdminLogRepository;
  units: UnitRepository;
  policies: PolicyRepository;
  calendars: CalendarRepository;
  now: () => Date;
}

export function productionAdminDependencies(): AdminDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    staff: staffRepository(table),
    adminLog: adminLogRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    now: () => new Date(),
  };
}

const administrator: Role = 'city-admin';

/** The city the caller administers; 403 for any other role. */
export function administeredCity(actor: Actor): string {
  if (actor.role !== administrator) throw new ForbiddenError('only a city administrator (city-admin) may do this');
  return actor.unit;
}
