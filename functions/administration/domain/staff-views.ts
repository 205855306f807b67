/** How a person of the staff directory is shown to their city's administrator (`GET /staff`, `GET` and `PUT /staff/{sub}`). */
import type { StaffRecord } from './staff.js';

export const staffView = (record: StaffRecord) => ({
  sub: record.sub,
  name: record.name,
  cityId: record.cityId,
  assignments: record.assignments,
  version: record.version,
  updatedAt: record.updatedAt,
  updatedBy: record.updatedBy,
});
export type StaffView = ReturnType<typeof staffView>;

/** The answer of `GET /staff?unit=`: the people with an assignment in the unit's subtree, by `sub`. */
export interface StaffList {
  unit: string;
  items: StaffView[];
}
