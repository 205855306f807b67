/** The unit tree of each city, as seeded by its administrators. */
import { BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { Unit } from '../domain/units.js';
import { MalformedItemError } from './application-item.js';
import { fromItem, keys, type TableContext, toItem } from './table.js';

const unitSchema = z.object({ id: z.string(), name: z.string(), path: z.array(z.string()) });

/**
 * How long a function instance keeps a unit it read. Units change rarely (an administrator
 * reorganizes streets), and nearly every request looks one up: intake, inbox, metrics.
 */
export const unitCacheMs = 5 * 60_000;

export function unitRepository({ client, tableName }: TableContext, clock: () => number = Date.now) {
  // Only units found are kept: a community just added is read as soon as it is asked for.
  const kept = new Map<string, { unit: Unit; until: number }>();
  return {
    async get(id: string): Promise<Unit | undefined> {
      const hit = kept.get(id);
      if (hit && hit.until > clock()) return hit.unit;
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.unit(id)) }));
      if (!Item) return undefined;
      const parsed = z.safeParse(unitSchema, fromItem(Item));
      if (!parsed.success) throw new MalformedItemError(`unit ${id}`, parsed.error);
      const unit: Unit = parsed.data;
      kept.set(id, { unit, until: clock() + unitCacheMs });
      return unit;
    },

    /** Writes (or overwrites) units; seeding the same tree twice is harmless. */
    async putAll(units: Unit[]): Promise<void> {
      for (const unit of units) kept.delete(unit.id);
      for (let i = 0; i < units.length; i += 25) {
        const batch = units.slice(i, i + 25).map((unit) => ({
          PutRequest: { Item: toItem({ ...keys.unit(unit.id), type: 'unit', ...unit }) },
        }));
        let pending: typeof batch | undefined = batch;
        while (pending && pending.length > 0) {
          const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
          pending = answer.UnprocessedItems?.[tableName] as typeof batch | undefined;
        }
      }
    },
  };
}
export type UnitRepository = ReturnType<typeof unitRepository>;
