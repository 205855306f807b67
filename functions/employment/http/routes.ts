/** The routes of the ledger of unemployed people, the scorecard, the evaluation and the published list: read by the API's route table (`functions/api/routes.ts`). */

import { idPathSchema } from '../../kernel/http/request-schemas.js';
import type { ApiRoute } from '../../kernel/http/route.js';
import { registrationSchema as ledgerRegistrationSchema, statusChangeSchema } from '../domain/employment-ledger.js';
import { scorecardQuerySchema } from '../domain/full-employment.js';
import { ledgerListQuerySchema, yearPathSchema } from './request-schemas.js';

export const employmentRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/ledger/entries',
    entry: 'functions/employment/http/register-ledger-entry.ts',
    name: 'RegisterLedgerEntry',
    authorized: true,
    request: { body: ledgerRegistrationSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
      sealResidentIds: true,
      residentIdKey: true,
      historyKey: 'write',
    },
  },
  {
    method: 'GET',
    path: '/ledger/entries',
    entry: 'functions/employment/http/list-ledger-entries.ts',
    name: 'ListLedgerEntries',
    authorized: true,
    request: { query: ledgerListQuerySchema },
    // An entry shown to its community's staff writes its read-audit entry first.
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'], queries: ['community-ledger'] } },
  },
  {
    method: 'GET',
    path: '/ledger/entries/{id}',
    entry: 'functions/employment/http/get-ledger-entry.ts',
    name: 'GetLedgerEntry',
    authorized: true,
    request: { path: idPathSchema },
    // The same.
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] }, historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/ledger/entries/{id}/changes',
    entry: 'functions/employment/http/change-ledger-status.ts',
    name: 'ChangeLedgerStatus',
    authorized: true,
    request: { path: idPathSchema, body: statusChangeSchema },
    // Query: the answer's read-audit entry keeps the retention of the policy in force (policies.inForce).
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] }, historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/scorecard',
    entry: 'functions/employment/http/scorecard.ts',
    name: 'Scorecard',
    authorized: true,
    request: { query: scorecardQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'], queries: ['community-ledger'] } },
  },
  {
    method: 'GET',
    path: '/scorecard.csv',
    entry: 'functions/employment/http/scorecard-csv.ts',
    name: 'ScorecardCsv',
    authorized: true,
    request: { query: scorecardQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'], queries: ['community-ledger'] } },
  },
  {
    method: 'POST',
    path: '/evaluations/{year}',
    entry: 'functions/employment/http/compute-evaluation.ts',
    name: 'ComputeEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'], queries: ['community-ledger'] } },
  },
  {
    method: 'GET',
    path: '/evaluations/{year}',
    entry: 'functions/employment/http/get-evaluation.ts',
    name: 'GetEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    // Audited in the city's administration log, in the same transaction.
    method: 'POST',
    path: '/evaluations/{year}/approval',
    entry: 'functions/employment/http/approve-evaluation.ts',
    name: 'ApproveEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] } },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}',
    entry: 'functions/employment/http/full-employment-communities.ts',
    name: 'FullEmploymentCommunities',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: { actions: ['GetItem'] } },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}/csv',
    entry: 'functions/employment/http/full-employment-communities-csv.ts',
    name: 'FullEmploymentCommunitiesCsv',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: { actions: ['GetItem'] } },
  },
];
