/** A table of this test file's own on the run's shared DynamoDB Local, dropped when the file ends. */

import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { unitRepository } from '../../functions/administration/store/units.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { seedDemoCity } from '../../local/demo-city.js';
import { ensureTable } from '../../local/table.js';

/** The tables this test file made (each file runs in its own worker module graph). */
const madeHere = new Set<string>();

/** A table name of this file's own, dropped when the file ends; for a local stack's `tableName`. */
export function testTableName(purpose: string): string {
  const name = `${purpose}-${randomUUID()}`;
  madeHere.add(name);
  return name;
}

const sharedClient = () =>
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/**
 * A fresh table with the demo city. Without a stream unless the file reads one (`stream: true`):
 * DynamoDB Local keeps every stream record of the run, dropped tables' too, and every later write
 * and stream read in the run slows as they pile up (2,000 applications made the next files 3-7x slower).
 */
export async function freshTable({ stream = false }: { stream?: boolean } = {}): Promise<TableContext> {
  const table = { client: sharedClient(), tableName: testTableName('test') };
  await ensureTable(table.client, table.tableName, { stream });
  await seedDemoCity(unitRepository(table));
  return table;
}

/** Drops this file's tables (tests/support/setup.ts calls it after the file's tests). */
export async function dropTablesMadeHere(): Promise<void> {
  if (!madeHere.size) return;
  const client = sharedClient();
  for (const name of madeHere) {
    await client.send(new DeleteTableCommand({ TableName: name })).catch((error: unknown) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  }
  madeHere.clear();
  client.destroy();
}

/** Records the name of every command the table's client sends into `sent` (to prove a read never scans). */
export function recordCommands(table: TableContext, sent: string[]): void {
  const send = table.client.send.bind(table.client);
  table.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    sent.push(command.constructor.name);
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof table.client.send;
}
