/**
 * `npm run fuzz -- --n 100000 [--seed S] [--concurrency C]`: the property test's bad-request
 * generators (tools/support/bad-requests.ts), run longer against a local stack of their own
 * (DynamoDB Local in memory), every answer checked to be a 4xx problem+json, and each privacy
 * probe (aimed at the things `fuzzTargets` makes first) answered as it must be. Writes a report to
 * reports/fuzz-<time>.md (gitignored) with the answers per defect and status, the rate, and every
 * request that was answered otherwise; exits 1 if there was one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { repositoryRoot, startLocalStack } from '../local/runtime.js';
import { type Answer, type BadRequest, badRequests, misjudged, send } from './support/bad-requests.js';
import { fuzzTargets } from './support/fuzz-targets.js';
import { fuzzTokens } from './support/fuzz-tokens.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
  },
});
const total = Number(values.n);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const concurrency = Math.max(1, Number(values.concurrency));
const chunk = 1000;

const stack = await startLocalStack({ webhookIntervalMs: 60_000, deadlineSweepIntervalMs: 0 });
const counts = new Map<string, number>();
const failures: { request: BadRequest; answer: Answer | string; wrong?: string }[] = [];
const started = Date.now();
try {
  const arbitrary = badRequests(await fuzzTokens(stack), await fuzzTargets(stack));
  for (let done = 0; done < total; done += chunk) {
    // Generated a chunk at a time: some bodies are a megabyte.
    const requests = fc.sample(arbitrary, { numRuns: Math.min(chunk, total - done), seed: seed + done });
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const request = requests[next++] as BadRequest;
          try {
            const answer = await send(stack.apiUrl, request);
            const key = `${request.defect} ${answer.status}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
            const wrong = await misjudged(stack.apiUrl, request, answer);
            if (wrong) failures.push({ request, answer, wrong });
          } catch (error) {
            counts.set(`${request.defect} no answer`, (counts.get(`${request.defect} no answer`) ?? 0) + 1);
            failures.push({ request, answer: String(error) });
          }
        }
      }),
    );
    process.stdout.write(`\r${Math.min(done + chunk, total)} / ${total} sent, ${failures.length} not refused`);
  }
} finally {
  await stack.stop();
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write('\n');

const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
const short = (text: string | undefined) =>
  text && text.length > 200 ? `${text.slice(0, 200)}… (${text.length})` : text;
const report = [
  `# Fuzz report ${new Date(started).toISOString()}`,
  '',
  `\`npm run fuzz -- --n ${total} --seed ${seed} --concurrency ${concurrency}\``,
  '',
  `${total} bad requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} requests/s), ` +
    `${failures.length} answered otherwise than they must be (a 4xx problem+json, and what a probe expects).`,
  '',
  '| defect | status | requests |',
  '| --- | --- | --- |',
  ...rows.map(([key, n]) => `| ${key.split(' ')[0]} | ${key.split(' ').slice(1).join(' ')} | ${n} |`),
  '',
  ...(failures.length
    ? [
        '## Not refused',
        '',
        ...failures
          .slice(0, 50)
          .map(
            ({ request, answer, wrong }) =>
              `- ${request.defect} \`${request.method} ${short(request.target)}\` body ${short(request.body) ?? '-'} → ` +
              (typeof answer === 'string' ? answer : `${answer.status} ${short(answer.body)}`) +
              (wrong ? ` (${wrong})` : ''),
          ),
      ]
    : []),
].join('\n');
const dir = join(repositoryRoot, 'reports');
mkdirSync(dir, { recursive: true });
const file = join(dir, `fuzz-${new Date(started).toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(file, `${report}\n`);
console.log(report);
console.log(`\nreport: ${file}`);
process.exit(failures.length ? 1 : 0);
