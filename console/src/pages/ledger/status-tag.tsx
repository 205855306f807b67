/** A ledger status as a tag (green employed, orange unemployed), with the form of employment. */
import { Tag } from 'antd';
import type { LedgerEntryView } from '../../api.js';
import { type MessageKey, useT } from '../../i18n/index.js';

export function StatusTag({ entry }: { entry: Pick<LedgerEntryView, 'status' | 'employment'> }) {
  const t = useT();
  return (
    <Tag color={entry.status === 'employed' ? 'success' : entry.status === 'unemployed' ? 'warning' : undefined}>
      {t(`ledger.status.${entry.status}` as MessageKey)}
      {entry.employment ? ` · ${t(`ledger.employment.${entry.employment}` as MessageKey)}` : ''}
    </Tag>
  );
}
