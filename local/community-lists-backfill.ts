/**
 * `npm run lists:backfill`: puts applications stored before the community-applications index
 * existed into their community's list (`GET /applications`); new and changed applications carry
 * the keys already. Safe beside live traffic and to run again (functions/applications/store/inbox.ts).
 *
 * Which table: with TABLE_NAME set, that table on the endpoint the AWS SDK is configured for;
 * otherwise the table kept by `npm start` in .data/ (or SUBSIDY_DATA_DIR), with `npm start` stopped.
 */

import { inboxRepository } from '../functions/applications/store/inbox.js';
import { openScriptTable } from './script-table.js';

const { table, close } = await openScriptTable();
try {
  const added = await inboxRepository(table).addMissingToCommunityLists();
  console.log(`added ${added} applications of ${table.tableName} to their communities' lists`);
} finally {
  await close();
}
