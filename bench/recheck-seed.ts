/**
 * The re-check bench's city: `total` active grants of flexible employment. One in a hundred is
 * made the way production makes it (intake and two approvals through the real handlers, so its
 * application, history and grant are real: the fact checker suspends it); the others are written
 * as the final approval writes a grant (the grant item with its active-grants keys, and the
 * person's sealed ID), in batches, since the re-check reads nothing else of them.
 */

import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { calendarRepository } from '../functions/administration/store/calendars.js';
import { policyRepository } from '../functions/administration/store/policies.js';
import { unitRepository } from '../functions/administration/store/units.js';
import type { Grant } from '../functions/applications/domain/benefit-ledger.js';
import { makeDecideApplication } from '../functions/applications/http/decide-application.js';
import { makeSubmitApplication } from '../functions/applications/http/submit-application.js';
import { listingOf } from '../functions/applications/store/active-grants.js';
import { applicationRepository } from '../functions/applications/store/applications.js';
import { inboxRepository } from '../functions/applications/store/inbox.js';
import type { SealResidentId } from '../functions/kernel/adapters/resident-id-vault.js';
import { residentIdKey } from '../functions/kernel/domain/resident-id-key.js';
import { readAuditRepository } from '../functions/kernel/store/read-audit.js';
import { keys, type TableContext, toItem } from '../functions/kernel/store/table.js';
import { contractFirms, exchangeDouble } from '../tools/support/exchange-double.js';
import { actors, asPerson, contractBody } from '../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../tools/support/http-events.js';

const secret = 'b'.repeat(32);
const policyVersion = 'shijiazhuang-2026.1';

/** Seeds the grants; answers the clear IDs of the holders the exchange double is to report dead. */
export async function seedGrants(
  table: TableContext,
  seal: SealResidentId,
  total: number,
  cityId: string,
): Promise<{ dying: Set<string>; applications: number; seconds: number }> {
  const started = performance.now();
  let counter = 0;
  const deps = {
    resolveActor: actorFromTestClaims,
    applications: applicationRepository(table),
    inbox: inboxRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    workflow: { start: async () => undefined, release: async () => true, isReachable: async () => true },
    now: () => new Date('2026-11-28T03:00:00Z'),
    newApplicationId: () => `bench-${++counter}`,
    residentIdSecret: secret,
    publishMetrics: () => undefined,
    sealResidentId: seal,
    readAudit: readAuditRepository(table),
    // Intake's checks answered by a stand-in with no record of anyone: the bench measures the re-check.
    dataExchange: exchangeDouble(structuredClone(contractFirms)),
  };
  const dying = new Set<string>();
  const real = Math.ceil(total / 100);
  for (let n = 1; n <= real; n++) {
    const body = asPerson(contractBody('flexible-employment'), n);
    const { id } = parsed(
      await makeSubmitApplication(deps)(httpEvent({ actor: actors.gexin01Staff, body }), lambdaContext),
    );
    for (const [actor, expectedVersion] of [
      [actors.gexinApprover, 1],
      [actors.cityApprover, 2],
    ] as const) {
      const decided = await makeDecideApplication(deps)(
        httpEvent({ actor, body: { decision: 'approve', expectedVersion }, pathParameters: { id } }),
        lambdaContext,
      );
      if (decided.statusCode !== 200) throw new Error(`bench seeding: ${decided.body}`);
    }
    dying.add(body.applicant.idNumber as string);
  }
  // The others share a hundred sealed numbers of living people: each grant still costs its decrypt.
  const living = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      seal(asPerson(contractBody('flexible-employment'), 5000 + i).applicant.idNumber),
    ),
  );
  const writes: WriteRequest[] = [];
  for (let n = real + 1; n <= total; n++) {
    const personKey = residentIdKey(`bench-person-${n}`, secret);
    const applicationId = `bench-grant-${String(n).padStart(6, '0')}`;
    const grant: Grant = {
      programme: 'social-insurance/flexible-employment',
      start: '2026-04',
      months: 12,
      applicationId,
      grantedFen: 840_000,
    };
    writes.push(
      {
        PutRequest: {
          Item: toItem({
            ...keys.grant(cityId, personKey, grant.programme, grant.start),
            type: 'grant',
            ...grant,
            ...listingOf(cityId, grant, policyVersion),
          }),
        },
      },
      {
        PutRequest: {
          Item: toItem({
            ...keys.personIdentity(cityId, personKey),
            type: 'person-identity',
            sealedIdNumber: living[n % 100],
          }),
        },
      },
    );
  }
  for (let i = 0; i < writes.length; i += 25) {
    let pending: WriteRequest[] | undefined = writes.slice(i, i + 25);
    while (pending?.length) {
      const answer: BatchWriteItemCommandOutput = await table.client.send(
        new BatchWriteItemCommand({ RequestItems: { [table.tableName]: pending } }),
      );
      pending = answer.UnprocessedItems?.[table.tableName];
    }
  }
  return { dying, applications: real, seconds: (performance.now() - started) / 1000 };
}
