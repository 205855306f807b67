/** The routes of staff, units, policies, calendars and the administration log, and who is signed in: read by the API's route table (`functions/api/routes.ts`). */

import { cityPolicySchema } from '../../kernel/domain/policy.js';
import type { ApiRoute } from '../../kernel/http/route.js';
import { staffChangeSchema } from '../domain/staff.js';
import { unitTreeBodySchema } from '../domain/unit-tree.js';
import {
  policiesQuerySchema,
  policyDiffQuerySchema,
  staffPathSchema,
  staffQuerySchema,
  unitsQuerySchema,
} from './request-schemas.js';

export const administrationRoutes: readonly ApiRoute[] = [
  {
    // The console asks who is signed in and which assignments they hold today.
    method: 'GET',
    path: '/me',
    entry: 'functions/administration/http/me.ts',
    name: 'Me',
    authorized: true,
    request: {},
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    method: 'GET',
    path: '/staff',
    entry: 'functions/administration/http/list-staff.ts',
    name: 'ListStaff',
    authorized: true,
    request: { query: staffQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'GET',
    path: '/staff/{sub}',
    entry: 'functions/administration/http/get-staff.ts',
    name: 'GetStaff',
    authorized: true,
    request: { path: staffPathSchema },
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    method: 'PUT',
    path: '/staff/{sub}',
    entry: 'functions/administration/http/put-staff.ts',
    name: 'PutStaff',
    authorized: true,
    request: { path: staffPathSchema, body: staffChangeSchema },
    needs: { table: { actions: ['GetItem', 'PutItem'] } },
  },
  {
    method: 'GET',
    path: '/admin-log',
    entry: 'functions/administration/http/admin-log.ts',
    name: 'AdminLog',
    authorized: true,
    request: {},
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'GET',
    path: '/units',
    entry: 'functions/administration/http/get-units.ts',
    name: 'GetUnits',
    authorized: true,
    request: { query: unitsQuerySchema },
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    method: 'PUT',
    path: '/units',
    entry: 'functions/administration/http/put-units.ts',
    name: 'PutUnits',
    authorized: true,
    request: { body: unitTreeBodySchema, csv: true },
    needs: { table: { actions: ['GetItem', 'PutItem'] } },
  },
  {
    method: 'GET',
    path: '/policies',
    entry: 'functions/administration/http/list-policies.ts',
    name: 'ListPolicies',
    authorized: true,
    request: { query: policiesQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'POST',
    path: '/policies',
    entry: 'functions/administration/http/publish-policy.ts',
    name: 'PublishPolicy',
    authorized: true,
    request: { body: cityPolicySchema },
    needs: { table: { actions: ['GetItem', 'PutItem'] } },
  },
  {
    method: 'GET',
    path: '/policies/diff',
    entry: 'functions/administration/http/policy-diff.ts',
    name: 'PolicyDiff',
    authorized: true,
    request: { query: policyDiffQuerySchema },
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    method: 'GET',
    path: '/calendars',
    entry: 'functions/administration/http/list-calendars.ts',
    name: 'ListCalendars',
    authorized: true,
    request: {},
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
];
