/** The routes of the suspicion queue (疑点): read by the API's route table (`functions/api/routes.ts`). */

import * as z from 'zod/mini';
import type { ApiRoute } from '../../kernel/http/route.js';
import { suspicionListQuerySchema } from '../domain/dispositions.js';

export const suspicionIdPathSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(128)) });

export const verificationRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/verification/flags',
    entry: 'functions/verification/http/list-flags.ts',
    name: 'ListSuspicions',
    authorized: true,
    request: { query: suspicionListQuerySchema },
    // Read-write: the page's figures write their read-audit entries first.
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] }, pagingCursors: true },
  },
  {
    method: 'GET',
    path: '/verification/flags/{id}',
    entry: 'functions/verification/http/get-flag.ts',
    name: 'GetSuspicion',
    authorized: true,
    request: { path: suspicionIdPathSchema },
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] } },
  },
];
