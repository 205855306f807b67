/**
 * Once per `npm test`: one DynamoDB Local (in memory) and one synthesized template, shared by
 * every test file. Files isolate themselves with their own table names, and drop their tables
 * when they end (tests/support/setup.ts). Every table of a run lives in this one JVM's heap: a
 * small heap spends the run collecting garbage, and every file slows down with it.
 */
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../local/console-site.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { synthesizeForLocal } from '../../local/runtime.js';
import { launchSharedBrowser } from '../../tools/support/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    template: Record<string, unknown>;
    /** One Chromium per run (tests/console connect to it); its endpoint. */
    browserEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The console is built once (or not at all when its build is current): the stack deploys its
  // build, so the synthesis waits for it, and so do the browser tests.
  const dynamoStarted = startDynamoDbLocal({ heapMb: 2048 });
  await ensureConsoleBuilt();
  const [dynamo, template, browser] = await Promise.all([dynamoStarted, synthesizeForLocal(), launchSharedBrowser()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('template', template);
  project.provide('browserEndpoint', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await dynamo.stop();
  };
}
