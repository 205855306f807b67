/**
 * Once per `npm test`: one DynamoDB Local (in memory) and one synthesized template, shared by
 * every test file. Files isolate themselves with their own table names, and drop their tables
 * when they end (tests/support/setup.ts). Every table of a run lives in this one JVM's heap: a
 * small heap spends the run collecting garbage, and every file slows down with it.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { synthesizeForLocal } from '../../local/runtime.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    template: Record<string, unknown>;
  }
}

export default async function setup(project: TestProject) {
  const [dynamo, template] = await Promise.all([startDynamoDbLocal({ heapMb: 2048 }), synthesizeForLocal()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('template', template);
  return () => dynamo.stop();
}
