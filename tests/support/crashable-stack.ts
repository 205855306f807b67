/**
 * The product's runtime in a child process that a test can SIGKILL at any moment and start again
 * (tests/e2e/crash.test.ts): everything `startLocalStack` brings up, in `crashable-stack-main.ts`,
 * in a process group of its own, against the run's DynamoDB Local, which is not killed with it
 * (on AWS the table does not crash with a Lambda). Every start uses the same table, ports, data
 * directory (where the keys are kept) and settings, so a restart reads what the last one wrote.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { demoPeople } from '../../local/demo-people.js';
import { freePort } from '../../local/dynamodb-local.js';
import { localStateMachineArn, repositoryRoot } from '../../local/runtime.js';
import { keptSigningKey, localIssuerOf, signIdToken } from '../../local/signing-keys.js';
import { groupAlive, signalGroup } from './process-group.js';

/** What the child is told (one JSON argument). */
export interface CrashableStackSettings {
  dynamoEndpoint: string;
  /** The run's synthesized template, written to a JSON file. */
  templateFile: string;
  tableName: string;
  port: number;
  stepFunctionsPort: number;
  /** Keys (history MAC, seals, webhook secrets, the sign-in's) kept here across restarts. */
  dataDir: string;
  residentIdKey: string;
  /** Seconds between webhook attempts (WEBHOOK_RETRY_SCHEDULE_SECONDS). */
  webhookRetrySchedule: string;
  reconcileIntervalMs: number;
}

/** The line the child prints once it serves, followed by JSON. */
export const readyLine = 'crashable-stack ready';

export interface CrashableStack {
  apiUrl: string;
  stepFunctionsEndpoint: string;
  stateMachineArn: string;
  tableName: string;
  /** A demo person's token, as the local sign-in issues it (the same key and issuer on every start). */
  tokenFor(actor: Actor): Promise<string>;
  /** Starts the child (again) and resolves when it serves; answers how long that took (ms). */
  start(): Promise<number>;
  /** SIGKILLs the child's whole group and resolves once nothing of it runs. */
  kill(): Promise<void>;
  /** Stops it politely (SIGTERM) if it runs, and removes its data directory. */
  close(): Promise<void>;
  /** Whatever the child printed, across every start. */
  output(): string;
}

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

export async function crashableStack(options: {
  dynamoEndpoint: string;
  template: Record<string, unknown>;
  tableName: string;
  residentIdKey: string;
  webhookRetrySchedule?: string;
  reconcileIntervalMs?: number;
}): Promise<CrashableStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'subsidy-crash-'));
  const templateFile = join(dataDir, 'template.json');
  writeFileSync(templateFile, JSON.stringify(options.template));
  const port = await freePort();
  const stepFunctionsPort = await freePort();
  const settings: CrashableStackSettings = {
    dynamoEndpoint: options.dynamoEndpoint,
    templateFile,
    tableName: options.tableName,
    port,
    stepFunctionsPort,
    dataDir,
    residentIdKey: options.residentIdKey,
    webhookRetrySchedule: options.webhookRetrySchedule ?? '1,1,2,2,3,3,5,5,5,5',
    reconcileIntervalMs: options.reconcileIntervalMs ?? 5_000,
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let printed = '';

  return {
    apiUrl,
    stepFunctionsEndpoint: `http://127.0.0.1:${stepFunctionsPort}`,
    stateMachineArn: localStateMachineArn,
    tableName: options.tableName,
    async tokenFor(actor) {
      if (!demoPeople.some((p) => p.sub === actor.sub && p.role === actor.role && p.unit === actor.unit))
        throw new Error(
          `${actor.sub} is not a demo person with that assignment: the crashable stack signs only for them`,
        );
      // The child made the key in its data directory at its first start.
      return signIdToken(await keptSigningKey(dataDir), localIssuerOf(apiUrl), actor.sub);
    },
    async start() {
      if (child && groupAlive(child)) throw new Error('the crashable stack is running already');
      const started = Date.now();
      // One node process (tsx as a loader, not its CLI, which would add a second): the group is it alone.
      const spawned = spawn(
        process.execPath,
        [
          '--import',
          tsxLoader,
          join(repositoryRoot, 'tests/support/crashable-stack-main.ts'),
          JSON.stringify(settings),
        ],
        { cwd: repositoryRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      child = spawned;
      await new Promise<void>((ready, fail) => {
        let output = '';
        const timer = setTimeout(() => fail(new Error(`the crashable stack did not come up:\n${output}`)), 180_000);
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          printed += chunk.toString();
          if (output.includes(readyLine)) {
            clearTimeout(timer);
            ready();
          }
        };
        spawned.stdout?.on('data', read);
        spawned.stderr?.on('data', read);
        spawned.once('exit', (code, signal) => {
          clearTimeout(timer);
          fail(new Error(`the crashable stack exited with ${code ?? signal}:\n${output}`));
        });
      });
      return Date.now() - started;
    },
    async kill() {
      if (child) await signalGroup(child, 'SIGKILL');
    },
    async close() {
      if (child && groupAlive(child))
        await signalGroup(child, 'SIGTERM').catch(() => signalGroup(child as ChildProcess, 'SIGKILL'));
      rmSync(dataDir, { recursive: true, force: true });
    },
    output: () => printed,
  };
}
