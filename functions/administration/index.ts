/**
 * Administration: how a city is set up and who works in it. It owns the staff directory (people,
 * their assignments, the actor a request acts as, `/me`), the unit tree, the city's published
 * policies and holiday calendars (publishing, listing, the diff of two versions) and the
 * administration log of every such change. It does not own what the policy means for an
 * application (applications) nor the re-routing a new calendar causes (workflow).
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { actingAsHeader, activeAssignments } from './domain/staff.js';
export type { ActorResolution, ActorResolver } from './http/actor-resolver.js';
export { productionActorResolver } from './http/actor-resolver.js';
export type { AdminDependencies } from './http/dependencies.js';
export { administeredCity, productionAdminDependencies } from './http/dependencies.js';
export { calendarPathSchema, calendarYearSchema } from './http/request-schemas.js';
export { administrationRoutes } from './http/routes.js';
export type { AdminLogRepository } from './store/admin-log.js';
export { AdminChangeConflictError, adminLogRepository } from './store/admin-log.js';
export type { CalendarRepository } from './store/calendars.js';
export { calendarRepository } from './store/calendars.js';
export type { PolicyOfApplication, PolicyRepository } from './store/policies.js';
export { policyRepository } from './store/policies.js';
export type { StaffRepository } from './store/staff.js';
export { staffRepository } from './store/staff.js';
export type { UnitRepository } from './store/units.js';
export { unitRepository } from './store/units.js';
