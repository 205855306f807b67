/**
 * A transaction's items by name. DynamoDB answers a cancelled transaction with one reason per
 * item, by position; a store that names its parts reads the reason of the part it means, so adding
 * or leaving out a part (a registration's marker, an approval's link) moves no other part's reason.
 */
import type { CancellationReason, TransactionCanceledException, TransactWriteItem } from '@aws-sdk/client-dynamodb';

/**
 * The parts of one transaction, written in the order they are listed (`Object.values`). Names are
 * words, never integer-like (`'0'`, `'12'`), which JavaScript would list first.
 */
export type TransactionParts<Name extends string = string> = Readonly<Partial<Record<Name, TransactWriteItem>>>;

/** The items to send, in the parts' order. */
export const transactItemsOf = (parts: TransactionParts): TransactWriteItem[] =>
  Object.values(parts).filter((item): item is TransactWriteItem => item !== undefined);

/** Why the named part was refused when the transaction was cancelled (undefined when it is not a part). */
export function cancellationReasonOf<Name extends string>(
  error: TransactionCanceledException,
  parts: TransactionParts<Name>,
  name: Name,
): CancellationReason | undefined {
  const index = Object.entries(parts)
    .filter(([, item]) => item !== undefined)
    .findIndex(([part]) => part === name);
  return index < 0 ? undefined : error.CancellationReasons?.[index];
}
