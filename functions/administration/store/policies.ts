/**
 * Each city's policy versions: the documents this build ships (the seed, `domain/policies/`) and
 * those its administrator published (`POST /policies`). A published version is two items written
 * with the administration log's entry in one transaction: `POLICY#<city>` / `V#<version>` (the
 * city's list) and `POLICYVERSION#<version>` (what an application names; the name is unique across
 * cities). Every version is immutable, so a process keeps any version it read for good.
 */

import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { shippedPolicyDocuments } from '../../kernel/domain/policies/index.js';
import { type CityPolicy, cityPolicySchema, loadPolicyDocument } from '../../kernel/domain/policy.js';
import { fromItem, keys, MalformedItemError, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { type PolicyVersion, versionInForce } from '../domain/policy-versions.js';
import type { AdminLogRepository } from './admin-log.js';
import { type CalendarRepository, calendarRepository } from './calendars.js';

const storedSchema = z.object({
  document: z.unknown(),
  publishedAt: z.string(),
  publishedBy: z.string(),
});

/** A version name already taken (by this city or another): versions never change. */
export class PolicyVersionExistsError extends Error {
  override name = 'PolicyVersionExistsError';
}

/**
 * `calendars`: the city's working-day calendars are handed out with each policy (read afresh each
 * time), so deadlines are counted on the calendar in force whatever version judges the application.
 */
export function policyRepository(
  table: TableContext,
  shipped: readonly unknown[] = shippedPolicyDocuments,
  calendars: Pick<CalendarRepository, 'of'> = calendarRepository(table),
) {
  const { client, tableName } = table;
  const shippedVersions: PolicyVersion[] = shipped.map((d) => ({ policy: loadPolicyDocument(d), source: 'shipped' }));
  const kept = new Map<string, PolicyVersion>(shippedVersions.map((v) => [v.policy.version, v]));

  function parseStored(item: ReturnType<typeof fromItem>, what: string): PolicyVersion {
    const parsed = z.safeParse(storedSchema, item);
    if (!parsed.success) throw new MalformedItemError(what, parsed.error);
    const policy = cityPolicySchema.safeParse(parsed.data.document);
    if (!policy.success) throw new MalformedItemError(what, policy.error);
    const { publishedAt, publishedBy } = parsed.data;
    return { policy: policy.data as CityPolicy, source: 'published', publishedAt, publishedBy };
  }

  async function version(name: string): Promise<PolicyVersion | undefined> {
    const hit = kept.get(name);
    if (hit) return hit;
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.policyByName(name)), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const found = parseStored(fromItem(Item), `policy ${name}`);
    kept.set(name, found);
    return found;
  }

  async function list(cityId: string): Promise<PolicyVersion[]> {
    const items = await queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': keys.policy(cityId, '').pk, ':prefix': keys.policyPrefix }),
      ConsistentRead: true,
    });
    const published = items.map((item) => parseStored(fromItem(item), `a policy of ${cityId}`));
    for (const v of published) kept.set(v.policy.version, v);
    return [...shippedVersions.filter((v) => v.policy.cityId === cityId), ...published].sort((a, b) =>
      a.policy.effectiveFrom.localeCompare(b.policy.effectiveFrom),
    );
  }

  return {
    version,
    list,

    /** The policy in force for a city on a Shanghai date, or undefined. */
    async inForce(cityId: string, onDate: string): Promise<CityPolicy | undefined> {
      const policy = versionInForce(await list(cityId), onDate)?.policy;
      return policy && { ...policy, calendars: await calendars.of(cityId) };
    },

    /** The policy an application is judged by; its absence is a fault of ours, not the client's. */
    async ofApplication(application: { id: string; policyVersion: string }): Promise<CityPolicy> {
      const found = await version(application.policyVersion);
      if (!found) throw new Error(`policy ${application.policyVersion} of application ${application.id} is not known`);
      return { ...found.policy, calendars: await calendars.of(found.policy.cityId) };
    },

    /** Publishes a validated document as a new version of its city, logged; a name taken → PolicyVersionExistsError. */
    async publish(log: AdminLogRepository, document: CityPolicy, by: string, at: string): Promise<PolicyVersion> {
      const { cityId, version: name } = document;
      if (await version(name)) throw new PolicyVersionExistsError(`policy version ${name} exists and never changes`);
      const item = { document, publishedAt: at, publishedBy: by, effectiveFrom: document.effectiveFrom };
      const put = (key: { pk: string; sk: string }) => ({
        Put: {
          TableName: tableName,
          Item: toItem({ ...key, type: 'policy-version', cityId, ...item }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      return log.commit(cityId, async () => ({
        entry: {
          at,
          by,
          action: 'policy.publish',
          target: name,
          after: { version: name, effectiveFrom: document.effectiveFrom },
        },
        writes: [put(keys.policyByName(name)), put(keys.policy(cityId, name))],
        result: { policy: document, source: 'published', publishedAt: at, publishedBy: by },
      }));
    },
  };
}
export type PolicyRepository = ReturnType<typeof policyRepository>;
/** What a use case needs to judge an application: the policy it was submitted under. */
export type PolicyOfApplication = Pick<PolicyRepository, 'ofApplication'>;
