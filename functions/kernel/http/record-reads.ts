/**
 * The read audit as the routes use it: `recordReads` before any personal data is answered (a
 * failure refuses the read). Every capability that shows personal data calls it.
 */
import type { ReadAuditEntry } from '../domain/read-audit.js';
import { logger } from '../runtime/logger.js';
import type { ReadAuditRepository } from '../store/read-audit.js';
import { HttpProblem } from './http.js';

/** Records the entries, or refuses the read: no personal data leaves unaudited. */
export async function recordReads(
  audit: Pick<ReadAuditRepository, 'record'>,
  entries: ReadAuditEntry[],
): Promise<void> {
  // Nothing shown in clear, nothing to record (and no write that could refuse a masked answer).
  if (entries.length === 0) return;
  try {
    await audit.record(entries);
  } catch (error) {
    // Ids only: the entry's reader and application, never the data the read would have shown.
    logger.error('read audit not recorded: the read is refused', {
      read: entries.map((entry) => entry.applicationId ?? entry.ledgerEntryId),
      sub: entries[0]?.sub,
      error: String(error),
    });
    throw new HttpProblem(503, 'Read audit unavailable', 'the read could not be recorded, so it is refused; try again');
  }
}
