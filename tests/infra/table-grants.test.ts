/**
 * Least privilege on the table: every function's role holds exactly the DynamoDB actions and the
 * indexes its manifest declares (`needs.table` in each module's `http/routes.ts`, `table` in its
 * `functions.ts`), which are the calls its handler's stores make (the local runtime refuses any
 * other, `local/local-iam.ts`, so the e2e tests run under these grants). What the manifests may
 * declare is then held to a reviewed line here: no scan but where the whole table is the point.
 */
import { describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.js';
import { employmentFunctions } from '../../functions/employment/functions.js';
import { integrityFunctions } from '../../functions/integrity/functions.js';
import type { TableNeeds } from '../../functions/kernel/store/table-needs.js';
import { monitoringFunctions } from '../../functions/monitoring/functions.js';
import { verificationFunctions } from '../../functions/verification/functions.js';
import { webhookFunctions } from '../../functions/webhooks/functions.js';
import { workflowOperations, workflowSteps } from '../../functions/workflow/functions.js';
import { tableGrantsOf } from '../../local/local-iam.js';

const granted = tableGrantsOf(inject('template'));
const declared: [string, TableNeeds | undefined][] = [
  ...apiRoutes.map((route): [string, TableNeeds | undefined] => [route.entry, route.needs.table]),
  ...[
    workflowSteps,
    workflowOperations,
    monitoringFunctions,
    webhookFunctions,
    employmentFunctions,
    integrityFunctions,
    verificationFunctions,
  ]
    .flatMap((manifest) => Object.values(manifest))
    .map((fn): [string, TableNeeds] => [fn.entry, fn.table]),
];
const rightsOf = (needs: TableNeeds | undefined) =>
  [...(needs?.actions ?? []).map((a) => `${a} table`), ...(needs?.queries ?? []).map((i) => `Query index/${i}`)].sort();
const grantedTo = (entry: string) => [...(granted.get(entry) ?? [])].sort();
const routeEntry = (method: string, path: string) =>
  apiRoutes.find((route) => route.method === method && route.path === path)?.entry as string;

describe('what each function may do with the table', () => {
  it('grants every function exactly the actions and indexes its manifest declares, and nothing on index/*', () => {
    expect(declared.length).toBeGreaterThan(50);
    for (const [entry, needs] of declared) expect(grantedTo(entry), entry).toEqual(rightsOf(needs));
  });

  it('gives GET /openapi.json no table at all, and GET /health only DescribeTable', () => {
    expect(grantedTo(routeEntry('GET', '/openapi.json'))).toEqual([]);
    expect(grantedTo(routeEntry('GET', '/health'))).toEqual(['DescribeTable table']);
    const describers = declared.filter(([, needs]) => needs?.actions.includes('DescribeTable'));
    expect(describers.map(([entry]) => entry)).toEqual([routeEntry('GET', '/health')]);
  });

  it('lets only the reviewed functions scan the whole table', () => {
    // The daily digest hashes every history event written on a day: events are keyed by their
    // application, so a day's are found only by reading all (once a day, one run at a time).
    const wholeTable = [integrityFunctions.dailyDigest.entry];
    const scanners = declared.filter(([, needs]) => needs?.actions.includes('Scan')).map(([entry]) => entry);
    expect(scanners).toEqual(wholeTable);
  });

  it('lets no GET route change or delete an item, and a reader only read', () => {
    const reads = new Set(['GetItem', 'BatchGetItem', 'Query']);
    for (const route of apiRoutes.filter((r) => r.method === 'GET')) {
      const actions = route.needs.table?.actions ?? [];
      // A view of personal data adds its read-audit entries (PutItem), and changes nothing.
      expect(
        actions.filter((a) => !reads.has(a) && a !== 'PutItem' && a !== 'DescribeTable'),
        `${route.method} ${route.path}`,
      ).toEqual([]);
    }
  });
});
