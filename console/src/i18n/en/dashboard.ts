/** English: the city monitor's throughput dashboard; the keys of `../zh/dashboard.ts`, no more. */
import type { dashboard as zh } from '../zh/dashboard.js';

export const dashboard: Record<keyof typeof zh, string> = {
  'dash.title': 'Dashboard',
  'dash.range': 'Dates',
  'dash.granularity': 'Per',
  'dash.day': 'Day',
  'dash.week': 'Week',
  'dash.month': 'Month',
  'dash.unit': 'Unit',
  'dash.drillUp': 'Up one level',
  'dash.export': 'Export CSV',
  'dash.submitted': 'Submitted',
  'dash.approved': 'Approved',
  'dash.rejected': 'Rejected',
  'dash.returned': 'Returned',
  'dash.withdrawn': 'Withdrawn',
  'dash.overdue': 'Overdue',
  'dash.backlog': 'Backlog by stage',
  'dash.timeInStage': 'Time in stage (hours)',
  'dash.granted': 'Granted (yuan)',
  'dash.perPeriod': 'Submissions and decisions',
  'dash.perUnit': 'Units below (click to drill down)',
};
