/**
 * `npm run verify-history -- [--from DATE] [--to DATE] [--application ID]`: recomputes every
 * application's history from the table (chain, each event's MAC, count, head, state, the head's
 * MAC, events whose application is gone) and, against each day's signed digest (signature, Merkle
 * root, every leaf), the events of that day; names each application whose history was changed,
 * deleted, reordered or added to. Exits 1 when any was, or when a digest does not verify; 2 on bad
 * arguments. The digests catch what the MACs cannot: a rewrite by someone who could use the MAC key.
 *
 * Which table and keys: with TABLE_NAME and HISTORY_MAC_KMS_KEY_ID set, that table and KMS key
 * wherever the AWS SDK points, and the digests of DIGEST_BUCKET (or DIGEST_DIR) signed by
 * DIGEST_SIGNING_KMS_KEY_ID when those are set; otherwise the table, keys and `digests/` kept by
 * `npm start` in .data/ (or SUBSIDY_DATA_DIR), with `npm start` stopped: the table opened as every
 * maintenance script opens it (`script-table.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { digestsFromEnvironment } from '../functions/integrity/store/digest-archive.js';
import { checkDigests } from '../functions/integrity/store/history-digests.js';
import { verifyHistories } from '../functions/integrity/store/history-verification.js';
import { historyMacFromEnvironment } from '../functions/kernel/adapters/history-mac.js';
import { type LocalKms, startLocalKms } from './kms.js';
import { openScriptTable, scriptDataDir } from './script-table.js';
import { localRegion } from './template.js';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, application: { type: 'string' } },
});
for (const field of ['from', 'to'] as const) {
  if (values[field] !== undefined && !isoDate.test(values[field])) {
    console.error(`--${field} must be a date such as 2026-11-28, not ${values[field]}`);
    process.exit(2);
  }
}

/** A key `npm start` keeps in its data folder, when it is there. */
const keptKey = (dir: string, name: string) => {
  const file = join(dir, name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};

// The table as every maintenance script opens it; locally, the keys `npm start` keeps beside it on a KMS of our own.
const dataDir = scriptDataDir();
const kept = dataDir
  ? {
      seal: keptKey(dataDir, 'resident-id-seal-key'),
      mac: keptKey(dataDir, 'history-mac-key'),
      digest: keptKey(dataDir, 'history-digest-key'),
    }
  : undefined;
if (kept && (!kept.mac || !kept.seal)) {
  console.error(`no history key in ${dataDir}: run npm start once first`);
  process.exit(2);
}
const { table, close } = await openScriptTable();
let kms: LocalKms | undefined;
if (dataDir && kept?.seal) {
  kms = await startLocalKms(kept.seal, undefined, kept.mac, undefined, kept.digest);
  process.env.DIGEST_SIGNING_KMS_KEY_ID = kms.signKeyId;
  process.env.DIGEST_DIR = join(dataDir, 'digests');
  process.env.AWS_REGION = localRegion;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  process.env.HISTORY_MAC_KMS_KEY_ID = kms.macKeyId;
}
let exitCode = 0;
try {
  const report = await verifyHistories(table, historyMacFromEnvironment(), {
    applicationId: values.application,
    from: values.from,
    to: values.to,
  });
  const changed = new Map(report.tampered.map(({ applicationId, findings }) => [applicationId, findings]));
  const digestsConfigured = Boolean(
    process.env.DIGEST_SIGNING_KMS_KEY_ID && (process.env.DIGEST_BUCKET || process.env.DIGEST_DIR),
  );
  const digests = digestsConfigured
    ? await checkDigests(table, digestsFromEnvironment(), {
        from: values.from,
        to: values.to,
        applicationId: values.application,
      })
    : undefined;
  for (const [id, findings] of digests?.findings ?? []) changed.set(id, [...(changed.get(id) ?? []), ...findings]);
  for (const [applicationId, findings] of [...changed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.log(`CHANGED ${applicationId}`);
    for (const finding of findings) console.log(`  - ${finding}`);
  }
  for (const day of digests?.brokenDigests ?? [])
    console.log(`DIGEST ${day} does not verify (signature or Merkle root): its day cannot be vouched for`);
  console.log(
    digests
      ? `${digests.days.length} signed daily digests checked against the table`
      : 'no daily digests configured (DIGEST_SIGNING_KMS_KEY_ID with DIGEST_BUCKET or DIGEST_DIR): the table alone checked',
  );
  console.log(`${report.checked} applications checked, ${changed.size} with a changed history`);
  exitCode = changed.size > 0 || (digests?.brokenDigests.length ?? 0) > 0 ? 1 : 0;
} finally {
  await kms?.close();
  await close();
}
process.exit(exitCode);
