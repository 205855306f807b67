/**
 * The sealed copy of a person's resident ID in one city (`PERSON#<city>#<key>` / `IDENTITY`):
 * ciphertext only, written by intake (and by the employment ledger's registration), read back only
 * by the fact checker, the one function allowed to open it (`kernel/adapters/resident-id-opener.ts`).
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { fromItem, getAll, keys, type TableContext, toItem } from '../../kernel/store/table.js';
import type { PersonOfCity } from './benefit-ledger.js';

/** The sealed copy of the person's resident ID (ciphertext only), replaced by each intake that names them. */
export function identityPut(
  tableName: string,
  { cityId, personKey }: PersonOfCity,
  sealedIdNumber: string,
  at: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.personIdentity(cityId, personKey),
        type: 'person-identity',
        sealedIdNumber,
        sealedAt: at,
      }),
    },
  };
}

/** The sealed resident IDs of these people of one city, by person key (one batch read per 100). */
export async function sealedIdentities(
  table: TableContext,
  cityId: string,
  personKeys: readonly string[],
): Promise<Map<string, string>> {
  const items = await getAll(
    table,
    [...new Set(personKeys)].map((key) => keys.personIdentity(cityId, key)),
    'pk, sealedIdNumber',
  );
  const prefix = keys.person(cityId, '');
  return new Map(
    items
      .map(fromItem)
      .filter((item) => typeof item.sealedIdNumber === 'string')
      .map((item) => [String(item.pk).slice(prefix.length), String(item.sealedIdNumber)]),
  );
}
