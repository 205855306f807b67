/**
 * `npm run grants:backfill`: lists grants recorded before the active-grants index existed in their
 * city's active grants, so the monthly re-check finds them; new grants carry the keys already. Safe
 * beside live traffic and to run again (functions/applications/store/active-grants.ts).
 *
 * Which table: with TABLE_NAME set, that table on the endpoint the AWS SDK is configured for;
 * otherwise the table kept by `npm start` in .data/ (or SUBSIDY_DATA_DIR), with `npm start` stopped.
 */

import { addMissingToActiveGrants } from '../functions/applications/store/active-grants.js';
import { openScriptTable } from './script-table.js';

const { table, close } = await openScriptTable();
try {
  const added = await addMissingToActiveGrants(table);
  console.log(`listed ${added} grants of ${table.tableName} in their cities' active grants`);
} finally {
  await close();
}
