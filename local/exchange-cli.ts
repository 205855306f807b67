/**
 * `npm run exchange -- put FILE.json`: adds the file's records to the data exchange of the running
 * `npm start` (the one whose data directory is SUBSIDY_DATA_DIR, or .data/, as `npm run token`
 * finds its stack), signed with the exchange's access key like any other request, and prints
 * what was added. The file's shape is `recordsSchema` (local/exchange-records.ts): each list
 * optional; a record with the key of one kept replaces it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsPath } from '../functions/verification/domain/exchange-wire.js';
import { signRequest } from '../functions/verification/domain/request-signing.js';
import { repositoryRoot } from './entries.js';
import { localExchangeFile } from './local-services.js';

const usage = 'usage: npm run exchange -- put FILE.json   (npm start must be running)';
const [command, path, ...rest] = process.argv.slice(2);
if (command !== 'put' || !path || rest.length) {
  console.error(usage);
  process.exit(2);
}

const dir = process.env.SUBSIDY_DATA_DIR ?? join(repositoryRoot, '.data');
const runningFile = join(dir, localExchangeFile);
const keyFile = join(dir, 'data-exchange-key');
if (!existsSync(runningFile) || !existsSync(keyFile)) {
  console.error(`no local data exchange has run with data in ${dir}: start it with npm start first.`);
  process.exit(1);
}
const running = JSON.parse(readFileSync(runningFile, 'utf8')) as { endpoint: string; accessKeyId: string };
let body: string;
try {
  body = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
} catch (error) {
  console.error(`${path}: ${error instanceof SyntaxError ? 'not JSON' : (error as Error).message}`);
  process.exit(2);
}

const headers = signRequest(
  { method: 'POST', path: recordsPath, body },
  { accessKeyId: running.accessKeyId, secret: readFileSync(keyFile, 'utf8').trim() },
  Date.now(),
);
let response: Response;
try {
  response = await fetch(`${running.endpoint}${recordsPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
} catch {
  console.error(
    `the data exchange at ${running.endpoint} does not answer: is npm start running (and the exchange started)?`,
  );
  process.exit(1);
}
const answer = (await response.json().catch(() => ({}))) as {
  added?: Record<string, { added: number; replaced: number }>;
  asOf?: string;
  errors?: { field: string; message: string }[];
  refusal?: string;
};
if (response.status === 400) {
  console.error(`${path}: nothing was added:`);
  for (const error of answer.errors ?? []) console.error(`  ${error.field}: ${error.message}`);
  process.exit(2);
}
if (!response.ok) {
  console.error(
    `the data exchange refused the records (HTTP ${response.status}${answer.refusal ? `: ${answer.refusal}` : ''})`,
  );
  process.exit(1);
}
const lines = Object.entries(answer.added ?? {}).map(
  ([list, counts]) => `  ${list}: ${counts.added} added${counts.replaced ? `, ${counts.replaced} replaced` : ''}`,
);
console.log(lines.length ? lines.join('\n') : '  nothing: the file has no records');
console.log(`the exchange's records are now as of ${answer.asOf}`);
