/** The routes of a new holiday calendar, which recounts every waiting application's deadlines: read by the API's route table (`functions/api/routes.ts`). */

import { calendarPathSchema } from '../../administration/index.js';
import { holidayCalendarSchema } from '../../kernel/domain/working-days.js';
import type { ApiRoute } from '../../kernel/http/route.js';

export const workflowRoutes: readonly ApiRoute[] = [
  {
    // Routes the city's waiting applications again: it releases their tasks.
    method: 'PUT',
    path: '/calendars/{year}',
    entry: 'functions/workflow/http/put-calendar.ts',
    name: 'PutCalendar',
    authorized: true,
    request: { path: calendarPathSchema, body: holidayCalendarSchema },
    needs: {
      table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], queries: ['stage-backlog'] },
      releaseTasks: true,
    },
  },
];
