/**
 * What a re-check run suspended: one item per grant beside the run (`RECHECK#<city>#<month>` /
 * `SUSPENDED#<application>`), written in the suspension's own transaction, so the run's report
 * lists exactly the grants suspended, each once, whatever crashed and was worked again.
 */
import * as z from 'zod/mini';
import { programmeIds } from '../../kernel/domain/programmes.js';
import { monthlyCheckIds } from '../../kernel/domain/verification-policy.js';
import { fromItem, MalformedItemError, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { recheckKeys } from './recheck-keys.js';

export const suspendedGrantSchema = z.object({
  applicationId: z.string(),
  programme: z.enum(programmeIds),
  communityId: z.string(),
  suspendedFrom: z.string(),
  reason: z.object({
    check: z.enum(monthlyCheckIds),
    figures: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  at: z.string(),
});
export type SuspendedGrant = z.infer<typeof suspendedGrantSchema>;

export function recheckSuspensions(table: TableContext) {
  const { tableName } = table;
  return {
    /** The record of a grant the run suspended (a transaction part of the suspension). */
    suspensionPut(cityId: string, month: string, grant: SuspendedGrant) {
      return {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...recheckKeys.recheckSuspension(cityId, month, grant.applicationId),
            type: 'recheck-suspension',
            ...grant,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    },

    /** Every grant the run of this city and month suspended, in application order. */
    async suspensions(cityId: string, month: string): Promise<SuspendedGrant[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({
          ':pk': recheckKeys.recheckRun(cityId, month).pk,
          ':prefix': recheckKeys.recheckSuspensionPrefix,
        }),
        ConsistentRead: true,
      });
      return items.map((raw) => {
        const result = z.safeParse(suspendedGrantSchema, fromItem(raw));
        if (!result.success) throw new MalformedItemError(`suspension of ${cityId} ${month}`, result.error);
        return result.data;
      });
    },
  };
}
export type RecheckSuspensions = ReturnType<typeof recheckSuspensions>;
