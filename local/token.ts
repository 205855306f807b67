/**
 * `npm run token -- --sub SUB`: a demo person's bearer token, as the local sign-in issues it, on
 * the last line. `npm run token -- --role ROLE --unit UNIT [--sub PERSON-ID]`: the same for a
 * made-up person, who is first given that assignment in the local staff directory of the running
 * `npm start` (locally only; it says so). The signing key and the issuer are those of `npm start`
 * in the same data directory (SUBSIDY_DATA_DIR, or .data/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unitRepository } from '../functions/administration/store/units.js';
import { actorSchema, roles } from '../functions/kernel/domain/actor.js';
import { demoPeople } from './demo-people.js';
import { giveAssignment } from './local-staff.js';
import { repositoryRoot } from './runtime.js';
import { keptSigningKey, localIssuerOf, signIdToken } from './signing-keys.js';

const usage = [
  'usage: npm run token -- --sub SUB                              (a demo person)',
  '       npm run token -- --role ROLE --unit UNIT [--sub PERSON-ID]  (a made-up person; npm start must be running)',
  `roles: ${roles.join(', ')}`,
  `demo people: ${demoPeople.map((p) => p.sub).join(', ')}`,
].join('\n');

const { values } = parseArgs({
  options: { role: { type: 'string' }, unit: { type: 'string' }, sub: { type: 'string' } },
  strict: true,
});
const dir = process.env.SUBSIDY_DATA_DIR ?? join(repositoryRoot, '.data');
const runningFile = join(dir, 'local-sign-in.json');
const running = existsSync(runningFile)
  ? (JSON.parse(readFileSync(runningFile, 'utf8')) as { issuer: string; dynamoEndpoint: string; tableName: string })
  : undefined;
const issuer = running?.issuer ?? localIssuerOf(`http://127.0.0.1:${process.env.PORT ?? 3000}`);

let sub: string;
if (values.role === undefined && values.unit === undefined) {
  if (!values.sub) {
    console.error(usage);
    process.exit(2);
  }
  sub = values.sub;
} else {
  const role = values.role ?? '';
  const unit = values.unit ?? '';
  const parsed = actorSchema.safeParse({ sub: values.sub ?? `${role}@${unit}`, role, unit });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || 'token'}: ${issue.message}`);
    console.error(usage);
    process.exit(2);
  }
  if (!running) {
    console.error(`npm start is not running with data in ${dir}: start it first (it keeps the staff directory).`);
    process.exit(1);
  }
  const client = new DynamoDBClient({
    endpoint: running.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = { client, tableName: running.tableName };
  try {
    const unitFound = await unitRepository(table).get(parsed.data.unit);
    // Bootstrapping a new city: its first administrator exists before its units do (they import them).
    const bootstrap = !unitFound && parsed.data.role === 'city-admin';
    if (!unitFound && !bootstrap) {
      console.error(`${parsed.data.unit} is not a unit of the running npm start`);
      process.exit(1);
    }
    if (bootstrap)
      console.error(`local bootstrap: ${parsed.data.unit} has no units yet; its first administrator is made`);
    const changed = await giveAssignment(table, parsed.data, unitFound?.path[0] ?? parsed.data.unit);
    console.error(
      changed
        ? `local staff directory: ${parsed.data.sub} now holds ${parsed.data.role} at ${parsed.data.unit} (locally only; in force within 60 s)`
        : `local staff directory: ${parsed.data.sub} already holds ${parsed.data.role} at ${parsed.data.unit}`,
    );
  } catch (error) {
    console.error(`could not reach the staff directory of npm start (${running.dynamoEndpoint}): ${String(error)}`);
    process.exit(1);
  } finally {
    client.destroy();
  }
  sub = parsed.data.sub;
}
console.log(await signIdToken(await keptSigningKey(dir), issuer, sub));
