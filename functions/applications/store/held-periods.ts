/**
 * The national rule's one item per person and programme (`HOLDER#<keyed hash>` / `HELD#<programme>`):
 * the periods the person holds under the programme in any city, and a version each grant bumps.
 * It names no city, no application and no amount, so a city that reads it to refuse an
 * overlapping grant learns only that some other city's period overlaps: every other fact about
 * that grant stays in its own city's partition.
 */

import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { fromItem, keys, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';

/** A period held, as the national item keeps it: months from a first month, nothing else. */
export interface HeldPeriod {
  start: string;
  months: number;
}

export interface HeldPeriods {
  personKey: string;
  programme: string;
  /** 0 while no city has granted the programme to the person. */
  version: number;
  periods: HeldPeriod[];
}

const heldSchema = z.object({
  version: z.number(),
  periods: z.array(z.object({ start: z.string(), months: z.number() })),
});

/** Read consistently: a final approval checks against it and writes on condition of its version. */
export async function readHeldPeriods(
  { client, tableName }: TableContext,
  personKey: string,
  programme: string,
): Promise<HeldPeriods> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.heldPeriods(personKey, programme)),
      ConsistentRead: true,
    }),
  );
  if (!Item) return { personKey, programme, version: 0, periods: [] };
  const parsed = z.safeParse(heldSchema, fromItem(Item));
  if (!parsed.success) throw new MalformedItemError(`held periods of ${programme}`, parsed.error);
  return { personKey, programme, ...parsed.data };
}

/**
 * The grant's period added, on condition that the item is still at the version read: two cities
 * approving the same person under the same programme at once cannot both pass the check.
 */
export function heldPeriodsUpdate(
  tableName: string,
  held: HeldPeriods,
  period: HeldPeriod,
  at: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.heldPeriods(held.personKey, held.programme),
        type: 'held-periods',
        version: held.version + 1,
        periods: [...held.periods, { start: period.start, months: period.months }],
        updatedAt: at,
      }),
      ConditionExpression: held.version === 0 ? 'attribute_not_exists(pk)' : 'version = :read',
      ...(held.version === 0 ? {} : { ExpressionAttributeValues: toItem({ ':read': held.version }) }),
    },
  };
}

/**
 * The periods held in other cities: those the city's own grants of the programme do not account
 * for. A city's grant and another's of the same programme never share a first month (they would
 * overlap, and the second was refused), so the first month tells them apart.
 */
export function heldElsewhere(held: HeldPeriods | undefined, ownStarts: readonly string[]): HeldPeriod[] {
  return (held?.periods ?? []).filter((p) => !ownStarts.includes(p.start));
}
