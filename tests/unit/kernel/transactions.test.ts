/** A transaction's parts by name: the items in the order they are named, a refusal read by the part's name. */
import { TransactionCanceledException, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  cancellationReasonOf,
  type TransactionParts,
  transactItemsOf,
} from '../../../functions/kernel/store/transactions.js';

const put = (pk: string): TransactWriteItem => ({ Put: { TableName: 't', Item: { pk: { S: pk }, sk: { S: 'x' } } } });

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('a transaction of named parts', () => {
  it('sends the parts in the order they are named, leaving out the absent ones', () => {
    const parts: TransactionParts = { marker: undefined, entry: put('entry'), event: put('event') };

    const items = transactItemsOf(parts);

    expect(items).toEqual([put('entry'), put('event')]);
  });

  it('reads the reason of the part it names, wherever the part sits', () => {
    const parts: TransactionParts<'marker' | 'entry' | 'link'> = {
      marker: undefined,
      entry: put('entry'),
      link: put('link'),
    };
    const error = cancelled(['None', 'ConditionalCheckFailed']);

    const link = cancellationReasonOf(error, parts, 'link');
    const entry = cancellationReasonOf(error, parts, 'entry');

    expect(link?.Code).toBe('ConditionalCheckFailed');
    expect(entry?.Code).toBe('None');
  });

  it('answers no reason for a part the transaction did not hold', () => {
    const parts: TransactionParts<'marker' | 'entry'> = { marker: undefined, entry: put('entry') };

    const reason = cancellationReasonOf(cancelled(['ConditionalCheckFailed']), parts, 'marker');

    expect(reason).toBeUndefined();
  });
});
