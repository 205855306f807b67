/** English: the city administrator's pages; the keys of `../zh/admin.ts`, no more. */
import type { admin as zh } from '../zh/admin.js';

export const admin: Record<keyof typeof zh, string> = {
  'admin.staff': 'Staff directory',
  'admin.units': 'Units',
  'admin.policies': 'Policy versions',
  'admin.calendars': 'Holiday calendars',
  'admin.sub': 'Account',
  'admin.name': 'Name',
  'admin.assignments': 'Assignments',
  'admin.unitId': 'Unit id',
  'admin.unitName': 'Name',
  'admin.level': 'Level',
  'admin.policyVersion': 'Version',
  'admin.effectiveFrom': 'Effective from',
  'admin.policyStatus': 'Status',
  'admin.diff': 'Compare with the previous',
  'admin.diffPath': 'Field',
  'admin.diffFrom': 'Was',
  'admin.diffTo': 'Now',
  'admin.year': 'Year',
  'admin.holidays': 'Holidays',
  'admin.makeUp': 'Make-up workdays',
};
