/**
 * Each city's unit tree, kept as versions (`PUT /units`). Three kinds of item:
 * - `UNIT#<id>`: the claim of a unit id by its city, written once and never changed, so one city
 *   can never import (or see through) another's ids, and a lookup by id finds its city;
 * - `UNITS#<city>` / `V#<version>`: one whole tree, immutable (gzip-compressed rows);
 * - `UNITS#<city>` / `HEAD`: the version in force.
 * An import claims its new ids first (harmless if it goes no further), then writes the version,
 * moves the head (conditional on the version it was built on) and appends the administration
 * log's entry in one transaction: a tree is in force whole or not at all.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { Unit } from '../../kernel/domain/units.js';
import { fromItem, keys, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';
import type { AdminLogEntry } from '../domain/admin-log.js';
import type { UnitTreeVersion } from '../domain/unit-tree.js';
import type { AdminLogRepository } from './admin-log.js';

/** A claim; items written before versions existed carry the unit itself, whose path starts at its city. */
const claimSchema = z.union([
  z.object({ cityId: z.string() }),
  z.pipe(
    z.object({ path: z.array(z.string()).check(z.minLength(1)) }),
    z.transform((legacy) => ({ cityId: legacy.path[0] as string })),
  ),
]);
const headSchema = z.object({ version: z.number(), at: z.string(), by: z.string(), count: z.number() });
const versionSchema = z.object({
  version: z.number(),
  at: z.string(),
  by: z.string(),
  tree: z.instanceof(Uint8Array),
});
const rowsSchema = z.array(z.tuple([z.string(), z.string(), z.nullable(z.string())]));

/** An id the import names is already another city's: refused, nothing in force changed. */
export class UnitIdTakenError extends Error {
  override name = 'UnitIdTakenError';
  constructor(readonly ids: string[]) {
    super(`unit ids of another city: ${ids.join(', ')}`);
  }
}

/**
 * How long a function instance keeps a city's tree. Trees change rarely (an administrator
 * reorganizes streets) and nearly every request looks a unit up: intake, inbox, metrics. An import
 * forgets the tree in the instance that made it at once; other instances see it within this time.
 */
export const unitCacheMs = 5 * 60_000;

interface KeptTree {
  version: number;
  byId: Map<string, Unit>;
  until: number;
}
/** Per client and table: claims never change; trees are kept a few minutes. Shared by every repository of the process. */
const caches = new WeakMap<
  DynamoDBClient,
  Map<string, { claims: Map<string, string>; trees: Map<string, KeptTree> }>
>();
function cacheOf({ client, tableName }: TableContext) {
  const ofClient = caches.get(client) ?? new Map();
  caches.set(client, ofClient);
  const cache = ofClient.get(tableName) ?? { claims: new Map<string, string>(), trees: new Map<string, KeptTree>() };
  ofClient.set(tableName, cache);
  return cache;
}

function packTree(units: readonly Unit[]): Uint8Array {
  return gzipSync(JSON.stringify(units.map((u) => [u.id, u.name, u.path.at(-2) ?? null])));
}

function unpackTree(tree: Uint8Array, what: string): Unit[] {
  const parsed = z.safeParse(rowsSchema, JSON.parse(gunzipSync(tree).toString('utf8')));
  if (!parsed.success) throw new MalformedItemError(what, parsed.error);
  const parents = new Map(parsed.data.map(([id, , parent]) => [id, parent]));
  const pathOf = (id: string): string[] => {
    const parent = parents.get(id);
    return parent ? [...pathOf(parent), id] : [id];
  };
  return parsed.data.map(([id, name]) => ({ id, name, path: pathOf(id) }));
}

export function unitRepository(table: TableContext, clock: () => number = Date.now) {
  const { client, tableName } = table;
  const cache = cacheOf(table);

  async function read(key: Record<string, string>) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(key), ConsistentRead: true }),
    );
    return Item && fromItem(Item);
  }

  async function head(cityId: string) {
    const item = await read(keys.unitsHead(cityId));
    if (!item) return undefined;
    const parsed = z.safeParse(headSchema, item);
    if (!parsed.success) throw new MalformedItemError(`units head of ${cityId}`, parsed.error);
    return parsed.data;
  }

  async function version(cityId: string, number: number): Promise<UnitTreeVersion | undefined> {
    const item = await read(keys.unitsVersion(cityId, number));
    if (!item) return undefined;
    const parsed = z.safeParse(versionSchema, item);
    if (!parsed.success) throw new MalformedItemError(`units v${number} of ${cityId}`, parsed.error);
    const { at, by, tree } = parsed.data;
    return { cityId, version: number, at, by, units: unpackTree(tree, `units v${number} of ${cityId}`) };
  }

  /** The version in force, or undefined for a city that has none. */
  async function current(cityId: string): Promise<UnitTreeVersion | undefined> {
    const now = await head(cityId);
    return now && version(cityId, now.version);
  }

  async function keptTree(cityId: string, fresh: boolean): Promise<KeptTree | undefined> {
    const hit = cache.trees.get(cityId);
    if (hit && hit.until > clock() && !fresh) return hit;
    const tree = await current(cityId);
    if (!tree) return undefined;
    const kept = {
      version: tree.version,
      byId: new Map(tree.units.map((u) => [u.id, u])),
      until: clock() + unitCacheMs,
    };
    cache.trees.set(cityId, kept);
    return kept;
  }

  async function cityOf(id: string): Promise<string | undefined> {
    const known = cache.claims.get(id);
    if (known) return known;
    const item = await read(keys.unit(id));
    if (!item) return undefined;
    const parsed = z.safeParse(claimSchema, item);
    if (!parsed.success) throw new MalformedItemError(`unit ${id}`, parsed.error);
    cache.claims.set(id, parsed.data.cityId);
    return parsed.data.cityId;
  }

  /** Claims ids for a city; those already another city's are returned, nothing else is changed for them. */
  async function claim(cityId: string, ids: readonly string[]): Promise<string[]> {
    const taken: string[] = [];
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (id) => {
          try {
            await client.send(
              new PutItemCommand({
                TableName: tableName,
                Item: toItem({ ...keys.unit(id), type: 'unit-claim', cityId }),
                // A unit item written before versions (no cityId) is its city's claim too.
                ConditionExpression:
                  'attribute_not_exists(pk) OR cityId = :city OR (attribute_not_exists(cityId) AND #path[0] = :city)',
                ExpressionAttributeNames: { '#path': 'path' },
                ExpressionAttributeValues: toItem({ ':city': cityId }),
              }),
            );
            cache.claims.set(id, cityId);
          } catch (error) {
            if (error instanceof ConditionalCheckFailedException) taken.push(id);
            else throw error;
          }
        }),
      );
    }
    return taken;
  }

  function versionWrites(
    cityId: string,
    number: number,
    units: readonly Unit[],
    at: string,
    by: string,
    prior?: number,
  ) {
    return [
      {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.unitsVersion(cityId, number),
            type: 'units-version',
            version: number,
            at,
            by,
            tree: packTree(units),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.unitsHead(cityId), type: 'units-head', version: number, at, by, count: units.length }),
          ...(prior === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: toItem({ ':v': prior }) }),
        },
      },
    ];
  }

  return {
    /** A unit as the city's tree in force has it (path from the city down); undefined when no city has it. */
    async get(id: string): Promise<Unit | undefined> {
      const cityId = await cityOf(id);
      if (!cityId) return undefined;
      const tree = await keptTree(cityId, false);
      // A unit claimed but not in the kept tree may have been added since: read the tree again once.
      return tree?.byId.get(id) ?? (await keptTree(cityId, true))?.byId.get(id);
    },

    current,
    version,

    /**
     * Puts `build`'s tree in force as the next version, logged. `build` gets the version in force
     * (re-read when another import moved the head first) and returns the new tree and the log
     * entry, or undefined when nothing changes.
     */
    async importTree(
      log: AdminLogRepository,
      cityId: string,
      build: (
        current: UnitTreeVersion | undefined,
      ) => { units: Unit[]; by: string; at: string; entry: Pick<AdminLogEntry, 'after' | 'before'> } | undefined,
    ): Promise<UnitTreeVersion | undefined> {
      const before = await current(cityId);
      const draft = build(before);
      if (draft) {
        const known = new Set(before?.units.map((u) => u.id));
        const taken = await claim(
          cityId,
          draft.units.map((u) => u.id).filter((id) => !known.has(id)),
        );
        if (taken.length) throw new UnitIdTakenError(taken);
      }
      const result = await log.commit(cityId, async () => {
        const prior = await current(cityId);
        const next = build(prior);
        if (!next) return { entry: undefined, writes: [], result: prior };
        const number = (prior?.version ?? 0) + 1;
        return {
          entry: { at: next.at, by: next.by, action: 'units.put', target: `units v${number}`, ...next.entry },
          writes: versionWrites(cityId, number, next.units, next.at, next.by, prior?.version),
          result: { cityId, version: number, at: next.at, by: next.by, units: next.units },
        };
      });
      cache.trees.delete(cityId);
      return result;
    },

    /**
     * Seeding (`npm start`, tests): the tree as version 1 when the city has none yet, through the
     * same claims and version items as an import, without a log entry. Seeding twice is harmless.
     */
    async seed(cityId: string, units: readonly Unit[], at: string): Promise<void> {
      if (await head(cityId)) return;
      const taken = await claim(
        cityId,
        units.map((u) => u.id),
      );
      if (taken.length) throw new UnitIdTakenError(taken);
      try {
        await client.send(
          new TransactWriteItemsCommand({ TransactItems: versionWrites(cityId, 1, units, at, 'seed') }),
        );
      } catch (error) {
        // Seeded at the same moment by another process: the tree is there.
        if (!(await head(cityId))) throw error;
      }
      cache.trees.delete(cityId);
    },
  };
}
export type UnitRepository = ReturnType<typeof unitRepository>;
