/** The routes of throughput reports: read by the API's route table (`functions/api/routes.ts`). */

import type { ApiRoute } from '../../kernel/http/route.js';
import { throughputQuerySchema } from '../domain/throughput-periods.js';

export const monitoringRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/metrics/throughput',
    entry: 'functions/monitoring/http/throughput.ts',
    name: 'Throughput',
    authorized: true,
    request: { query: throughputQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'GET',
    path: '/metrics/throughput.csv',
    entry: 'functions/monitoring/http/throughput-csv.ts',
    name: 'ThroughputCsv',
    authorized: true,
    request: { query: throughputQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
];
