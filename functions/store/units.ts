/** The unit tree of each city, as seeded by its administrators. */
import { BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Unit } from '../domain/units.js';
import { fromItem, keys, toItem, type TableContext } from './table.js';

export function unitRepository({ client, tableName }: TableContext) {
  return {
    async get(id: string): Promise<Unit | undefined> {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.unit(id)) }));
      if (!Item) return undefined;
      const { id: unitId, name, path } = fromItem(Item);
      return { id: unitId, name, path };
    },

    /** Writes (or overwrites) units; seeding the same tree twice is harmless. */
    async putAll(units: Unit[]): Promise<void> {
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
