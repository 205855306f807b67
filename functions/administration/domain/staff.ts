/**
 * The staff directory's rules: who holds which role at which unit, and when. A token only proves
 * who a person is; what they may do comes from their assignments here. A person may hold several
 * (a street approver who also monitors the street); a request acts under exactly one of them.
 */
import * as z from 'zod/mini';
import { boundedDate } from '../../kernel/domain/bounds.js';
import '../../kernel/domain/validation-messages.js';
import { type Actor, actorSchema, type Role } from '../../kernel/domain/actor.js';
import { notFormula } from '../../kernel/domain/free-text.js';

const isoDate = boundedDate;

export const assignmentSchema = z
  .object({
    role: actorSchema.shape.role,
    unit: actorSchema.shape.unit,
    /** First day (Asia/Shanghai) the assignment holds. */
    from: isoDate,
    /** Last day it holds; open-ended when absent. */
    to: z.optional(isoDate),
  })
  .check(
    z.refine((a) => actorSchema.safeParse({ sub: 'x', role: a.role, unit: a.unit }).success, {
      message: 'the role does not match the level of the unit',
      path: ['unit'],
    }),
    z.refine((a) => a.to === undefined || a.to >= a.from, { message: 'must not be before from', path: ['to'] }),
  );
export type Assignment = z.infer<typeof assignmentSchema>;

/** The answer of `GET /me`: who the token names, and the assignments (role and unit) they hold today. */
export interface Me {
  sub: string;
  name: string;
  cityId: string;
  assignments: Pick<Assignment, 'role' | 'unit'>[];
}

/** The body of `PUT /staff/{sub}`. */
export const staffChangeSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64), notFormula()),
    assignments: z.array(assignmentSchema).check(z.maxLength(20)),
  })
  .check(
    z.refine((s) => new Set(s.assignments.map((a) => `${a.role}@${a.unit}@${a.from}`)).size === s.assignments.length, {
      message: 'the same assignment appears twice',
      path: ['assignments'],
    }),
  );
export type StaffChange = z.infer<typeof staffChangeSchema>;

export const staffSubSchema = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w.@:|-]+$/));

/** A person in the directory. `cityId` is the tenant the record belongs to. */
export interface StaffRecord extends StaffChange {
  sub: string;
  cityId: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The assignments that hold on a Shanghai date. */
export function activeAssignments(record: Pick<StaffRecord, 'assignments'>, today: string): Assignment[] {
  return record.assignments.filter((a) => a.from <= today && (a.to === undefined || today <= a.to));
}

/** How a request names the assignment it acts under: `role@unit`, e.g. `street-approver@street:gexin`. */
export const actingAsHeader = 'x-acting-as';

export type AssignmentChoice =
  | { ok: true; actor: Actor }
  | { ok: false; reason: 'no-active-assignment' | 'choose-one' | 'not-held'; held: string[] };

/**
 * The assignment a request acts under: the one it names (`X-Acting-As: role@unit`), or, when it
 * names none, the person's only active assignment. Several active and none named → refused with
 * the list, so a client never acts under a role the person did not mean.
 */
export function chooseAssignment(
  record: Pick<StaffRecord, 'sub' | 'assignments'>,
  today: string,
  requested: string | undefined,
): AssignmentChoice {
  const active = activeAssignments(record, today);
  const held = active.map((a) => `${a.role}@${a.unit}`);
  const pick = (a: Assignment): AssignmentChoice => ({
    ok: true,
    actor: { sub: record.sub, role: a.role, unit: a.unit },
  });
  if (active.length === 0) return { ok: false, reason: 'no-active-assignment', held };
  if (requested) {
    const found = active.find((a) => `${a.role}@${a.unit}` === requested.trim());
    return found ? pick(found) : { ok: false, reason: 'not-held', held };
  }
  if (active.length === 1) return pick(active[0] as Assignment);
  return { ok: false, reason: 'choose-one', held };
}

/** The city (tenant) a unit belongs to, given its path from the city down. */
export function cityOfPath(path: readonly string[]): string | undefined {
  return path[0];
}

export const adminRole: Role = 'city-admin';
