/**
 * A kept row as it is stored: under whom it is found (the person's keyed hash, a firm's credit code,
 * and for a firm also its legal representative's keyed hash) and what an answer needs of it, with no
 * clear ID number anywhere. The record's id is derived from its content, so the same row written
 * twice (a retry, a re-run after a crash, the same record in two parts of one snapshot) is one item.
 */
import { createHash } from 'node:crypto';
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import type { SnapshotRow } from './snapshot-rows.js';
import type { SourceName } from './sources.js';

/** Who a stored record is found under. */
export const snapshotSubjects = {
  person: (personKey: string) => `PERSON#${personKey}`,
  firm: (creditCode: string) => `FIRM#${creditCode}`,
  representative: (personKey: string) => `REPRESENTATIVE#${personKey}`,
} as const;

/** A firm as stored: its legal representative only as the keyed hash of their ID number. */
export type StoredEntity = {
  creditCode: string;
  name: string;
  kind: 'enterprise' | 'individual-business';
  status: 'active' | 'deregistered';
  deregisteredOn?: string;
  legalRepresentativeKey?: string;
};

export interface StoredRecord {
  subject: string;
  id: string;
  record: Record<string, unknown>;
}

const contentId = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/** The items one row becomes (a firm with a representative is found both ways). */
export function storedRecordsOf<S extends SourceName>(
  source: S,
  row: SnapshotRow<S>,
  residentIdSecret: string,
): StoredRecord[] {
  if (source === 'entities') {
    const { legalRepresentativeIdNumber, ...firm } = row as SnapshotRow<'entities'>;
    const record: StoredEntity = {
      ...firm,
      ...(legalRepresentativeIdNumber
        ? { legalRepresentativeKey: residentIdKey(legalRepresentativeIdNumber, residentIdSecret) }
        : {}),
    };
    // One record per firm and snapshot: a firm listed twice keeps the row read last.
    const stored: StoredRecord[] = [{ subject: snapshotSubjects.firm(firm.creditCode), id: firm.creditCode, record }];
    if (record.legalRepresentativeKey)
      stored.push({
        subject: snapshotSubjects.representative(record.legalRepresentativeKey),
        id: firm.creditCode,
        record,
      });
    return stored;
  }
  const { idNumber, ...record } = row as { idNumber: string } & Record<string, unknown>;
  const subject = snapshotSubjects.person(residentIdKey(idNumber, residentIdSecret));
  return [{ subject, id: contentId([source, record]), record }];
}
