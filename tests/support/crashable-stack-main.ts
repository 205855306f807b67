/**
 * The child process of `crashable-stack.ts`: starts the local runtime with the settings given as
 * one JSON argument, prints the ready line, and runs until it is killed.
 */
import { readFileSync } from 'node:fs';
import { startLocalStack } from '../../local/runtime.js';
import { type CrashableStackSettings, readyLine } from './crashable-stack.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as CrashableStackSettings;
const stack = await startLocalStack({
  dynamoEndpoint: settings.dynamoEndpoint,
  template: JSON.parse(readFileSync(settings.templateFile, 'utf8')) as Record<string, unknown>,
  tableName: settings.tableName,
  port: settings.port,
  stepFunctionsPort: settings.stepFunctionsPort,
  dataDir: settings.dataDir,
  residentIdKey: settings.residentIdKey,
  webhookRetrySchedule: settings.webhookRetrySchedule,
  webhookIntervalMs: 200,
  reconcileIntervalMs: settings.reconcileIntervalMs,
});
console.log(`${readyLine} ${JSON.stringify({ apiUrl: stack.apiUrl, resumed: stack.resumed })}`);
// The test's clean-up stops it politely, as Ctrl-C stops npm start; the crashes are SIGKILLs, which nothing catches.
process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
