/** The routes of health and the API description: read by the API's route table (`functions/api/routes.ts`). */

import type { ApiRoute } from '../../kernel/http/route.js';

export const apiRoutesOfItsOwn: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/health',
    entry: 'functions/api/http/health.ts',
    name: 'Health',
    authorized: false,
    request: {},
    needs: { table: { actions: ['DescribeTable'] }, describeWorkflow: true },
  },
  {
    // The API's description, generated from these routes: public, as any API's contract is; it
    // names no data, only shapes.
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/http/openapi.ts',
    name: 'OpenApi',
    authorized: false,
    request: {},
    // Built from the route table alone: no table, no key, nothing to grant.
    needs: {},
  },
];
