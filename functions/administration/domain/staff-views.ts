/** How a person of the staff directory is shown to their city's administrator. */
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
