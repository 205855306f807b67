/** The routes of the read audit and the personal-data export: read by the API's route table (`functions/api/routes.ts`). */

import type { ApiRoute } from '../../kernel/http/route.js';
import { peopleExportBodySchema, readAuditQuerySchema } from './request-schemas.js';

export const integrityRoutes: readonly ApiRoute[] = [
  {
    // The read audit, for the city's administrator: who read which application's personal data.
    method: 'GET',
    path: '/audit/reads',
    entry: 'functions/integrity/http/read-audit.ts',
    name: 'ReadAudit',
    authorized: true,
    request: { query: readAuditQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    // A person's data on request (PIPL art. 45): audited as a read, so it writes the audit. POST so
    // the resident ID travels in the body, never in a URL (access logs, browser history).
    method: 'POST',
    path: '/people/export',
    entry: 'functions/integrity/http/people-export.ts',
    name: 'PeopleExport',
    authorized: true,
    request: { body: peopleExportBodySchema },
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] }, residentIdKey: true, historyKey: 'verify' },
  },
];
