/**
 * `npm run bench:recheck [-- --grants 10000]`: the monthly re-check of a city's active grants on a
 * fresh DynamoDB Local, with the real fact checker (the local KMS opening each sealed ID, the real
 * store and transaction path) and an exchange test double answering at once. Reported beside a
 * reference measured in the same run: DynamoDB Local reading the same grants and identities the
 * same way (index pages, batch reads), so the ratio holds from machine to machine. Every DynamoDB
 * call, KMS decrypt and exchange question is counted, and priced per run (bench/prices.ts).
 *
 * 1% of holders are dead in the double: their grants are suspended (each one transaction with its
 * history event, the run's record and two notices), as a month of a real city might bring.
 */

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { policyRepository } from '../functions/administration/store/policies.js';
import { unitRepository } from '../functions/administration/store/units.js';
import { makeFactChecker } from '../functions/applications/scheduled/fact-checker.js';
import { activeGrantsPage } from '../functions/applications/store/active-grants.js';
import { applicationRepository } from '../functions/applications/store/applications.js';
import { sealedIdentities } from '../functions/applications/store/person-identity.js';
import { recheckRunRepository } from '../functions/applications/store/recheck-runs.js';
import { recheckSuspensions } from '../functions/applications/store/recheck-suspensions.js';
import { verificationRecords } from '../functions/applications/store/verification-records.js';
import { kmsResidentIdOpener } from '../functions/kernel/adapters/resident-id-opener.js';
import { kmsResidentIdVault } from '../functions/kernel/adapters/resident-id-vault.js';
import type { Answer, DataExchange } from '../functions/verification/index.js';
import { pendingChecksRepository } from '../functions/verification/index.js';
import { seedDemoCity } from '../local/demo-city.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalKms } from '../local/kms.js';
import { ensureTable } from '../local/table.js';
import {
  dynamoDbPerReadRequestUnit,
  dynamoDbPerWriteRequestUnit,
  lambdaArmPerGbSecond,
  lambdaPerRequest,
} from './prices.js';
import { seedGrants } from './recheck-seed.js';

const { values } = parseArgs({ options: { grants: { type: 'string', default: '10000' } }, strict: true });
const total = Number(values.grants);
const cityId = 'city:shijiazhuang';
const month = '2026-10';
const now = new Date('2026-11-28T03:00:00Z');
/** KMS Decrypt: $0.03 per 10,000 requests (symmetric keys). */
const kmsPerRequest = 0.03 / 10_000;

/** The exchange as a test double: quiet records at once, a death for the holders the seed says. */
class ExchangeDouble implements DataExchange {
  questions = 0;
  constructor(private readonly dying: ReadonlySet<string>) {}
  async ask<Q extends Parameters<DataExchange['ask']>[1]>(_cityId: string, question: Q) {
    this.questions++;
    const asOf = '2026-11-27';
    const { idNumber } = question as { idNumber: string };
    const dies = this.dying.has(idNumber);
    const answers: Partial<Record<Answer['source'], Answer>> = {
      deaths: { source: 'deaths', asOf, ...(dies ? { died: { on: '2026-09-12' } } : {}) },
      imprisonments: { source: 'imprisonments', asOf, periods: [] },
      pensions: { source: 'pensions', asOf },
      contributions: { source: 'contributions', asOf, records: [{ month, baseFen: 400_000, paid: true }] },
    };
    return answers[question.source] as Extract<Answer, { source: Q['source'] }>;
  }
}

/** Counts the commands a client sends, by name. */
function counting(client: DynamoDBClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(String(context.commandName), (counts.get(String(context.commandName)) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCount' },
  );
  return counts;
}

const dynamo = await startDynamoDbLocal();
const kms = await startLocalKms(Buffer.alloc(32, 9).toString('base64url'));
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
process.env.HISTORY_MAC_KMS_KEY_ID = kms.macKeyId;
try {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  const table = { client, tableName: 'recheck-bench' };
  await ensureTable(client, table.tableName, { stream: false });
  await seedDemoCity(unitRepository(table));
  const kmsClient = new KMSClient({});
  const seeded = await seedGrants(table, kmsResidentIdVault(kmsClient, kms.keyId), total, cityId);
  console.log(
    `seeded ${total} grants (${seeded.applications} with their applications) in ${seeded.seconds.toFixed(1)} s`,
  );

  // The reference: the same reads, nothing else.
  const referenceStarted = performance.now();
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await activeGrantsPage(table, cityId, month, { limit: 100, ...(cursor ? { cursor } : {}) });
    await sealedIdentities(
      table,
      cityId,
      page.grants.map((g) => g.personKey),
    );
    read += page.grants.length;
    cursor = page.next;
  } while (cursor);
  const referenceSeconds = (performance.now() - referenceStarted) / 1000;

  const counts = counting(client);
  let decrypts = 0;
  const opener = kmsResidentIdOpener(kmsClient, kms.keyId);
  const exchange = new ExchangeDouble(seeded.dying);
  const checker = makeFactChecker({
    table,
    applications: applicationRepository(table),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
    policies: policyRepository(table),
    exchange,
    openResidentId: (sealed) => {
      decrypts++;
      return opener(sealed);
    },
    now: () => now,
    cities: async () => [cityId],
    verificationRecords: verificationRecords(table),
    pendingChecks: pendingChecksRepository(table),
  });
  const started = performance.now();
  const answer = await checker({ kind: 'monthly-recheck', cityId, month });
  const seconds = (performance.now() - started) / 1000;
  const run = await recheckRunRepository(table).get(cityId, month);

  const calls = Object.fromEntries([...counts].sort());
  // Read units: index pages of ~200-byte items (eventually consistent, 0.5 per 4 KB), identities
  // and application reads strongly consistent (1 per item up to 4 KB); writes 1 per item of a
  // transaction, doubled (a transactional write costs two units per KB), a few KB each.
  const suspended = run?.suspended ?? 0;
  const readUnits = Math.ceil((read * 200) / 4096 / 2) + read + suspended * 2 + (counts.get('GetItemCommand') ?? 0);
  const writeUnits = suspended * 2 * (3 + 1 + 1 + 2) + (counts.get('UpdateItemCommand') ?? 0) + 4;
  const lambdaGbSeconds = seconds * 0.5;
  const cost = {
    dynamoReads: readUnits * dynamoDbPerReadRequestUnit.usd,
    dynamoWrites: writeUnits * dynamoDbPerWriteRequestUnit.usd,
    kms: decrypts * kmsPerRequest,
    lambda: lambdaGbSeconds * lambdaArmPerGbSecond.usd + Math.ceil(seconds / 840) * lambdaPerRequest.usd,
  };
  const report = {
    grants: total,
    referenceRead: read,
    answer: answer.runs,
    run: run && { checked: run.checked, suspended: run.suspended, pending: run.pendingGrants },
    seconds: Number(seconds.toFixed(2)),
    referenceSeconds: Number(referenceSeconds.toFixed(2)),
    ratioToReference: Number((seconds / referenceSeconds).toFixed(1)),
    grantsPerSecond: Math.round(total / seconds),
    dynamoCalls: calls,
    kmsDecrypts: decrypts,
    exchangeQuestions: exchange.questions,
    units: { read: readUnits, write: writeUnits, lambdaGbSeconds: Number(lambdaGbSeconds.toFixed(1)) },
    costUsd: Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Number(v.toFixed(5))])),
    costUsdTotal: Number(
      Object.values(cost)
        .reduce((a, b) => a + b, 0)
        .toFixed(4),
    ),
  };
  console.log(JSON.stringify(report, null, 2));
  kmsClient.destroy();
  client.destroy();
} finally {
  await kms.close();
  await dynamo.stop();
}
