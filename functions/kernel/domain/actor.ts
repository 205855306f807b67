/** Who is acting: the person, their role and the unit they act for, as the identity provider vouches. */
import * as z from 'zod/mini';
import './validation-messages.js';
import { isUnitId, type UnitLevel, unitLevel } from './units.js';

export const roles = [
  'community-staff',
  'street-approver',
  'district-approver',
  'city-approver',
  'city-monitor',
  'city-admin',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const actorSchema = z
  .object({
    sub: z.string().check(z.minLength(1), z.maxLength(128)),
    role: z.enum(roles),
    unit: z.string().check(z.refine(isUnitId, 'must be a unit id such as street:gexin')),
  })
  .check(
    z.refine((actor) => roleFitsUnit(actor.role, actor.unit), {
      message: 'the role does not match the level of the unit',
      path: ['unit'],
    }),
  );
export type Actor = z.infer<typeof actorSchema>;

/**
 * The unit levels each role may belong to; monitors may sit at any level, a city's administrator
 * at the city. An auditor (稽核员) audits a whole city or district: below that, the people they
 * audit would be their own street's colleagues.
 */
const levelsOfRole: Partial<Record<Role, readonly UnitLevel[]>> = {
  'community-staff': ['community'],
  'street-approver': ['street'],
  'district-approver': ['district'],
  'city-approver': ['city'],
  'city-admin': ['city'],
  auditor: ['city', 'district'],
};

/** Whether `role` may be held at `unit` (a unit id, checked before this is asked). */
export function roleFitsUnit(role: Role, unit: string): boolean {
  const levels = levelsOfRole[role];
  return levels === undefined || levels.includes(unitLevel(unit));
}

/** An approval stage is named after the level that decides it. */
export type ApprovalStage = Extract<UnitLevel, 'street' | 'district' | 'city'>;
export const approvalStages: readonly ApprovalStage[] = ['street', 'district', 'city'];

export const approverRoleOf: Record<ApprovalStage, Role> = {
  street: 'street-approver',
  district: 'district-approver',
  city: 'city-approver',
};
