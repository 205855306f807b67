/**
 * One entry of the ledger: the person, their household, the history marked with whether it
 * verifies, and, for the community's own staff, the form that records a change.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { type MessageKey, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { ProblemAlert } from '../../widgets.js';
import { ChangeForm } from './change-form.js';
import { StatusTag } from './status-tag.js';

export default function LedgerEntryPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const entry = useQuery({ queryKey: ['ledger-entry', id], queryFn: () => client.ledgerEntry(id) });
  const data = entry.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Link to="/ledger">{t('back')}</Link>
        <Typography.Title level={2}>{data?.name ?? id}</Typography.Title>
        <ProblemAlert error={entry.error} />
        {data && (
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('form.idNumber')}>{data.idNumber}</Descriptions.Item>
            <Descriptions.Item label={t('form.phone')}>{data.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('col.status')}>
              <span data-testid="ledger-status">
                <StatusTag entry={data} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.statusSince')}>{data.statusSince}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.registeredOn')}>{data.registeredOn}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.certificateHolder')}>
              {data.certificateHolder ? t('yes') : t('no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.household')}>
              <Space>
                {data.household?.label ?? data.householdId}
                {data.household?.zeroEmployment && (
                  <Tag color="error">{t('ledger.zeroFamily', { since: data.household.zeroSince ?? '' })}</Tag>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.applications')}>
              {data.applications.length
                ? data.applications.map((a) => (
                    <Link key={a} to={`/applications/${encodeURIComponent(a)}`}>
                      {a}{' '}
                    </Link>
                  ))
                : t('none')}
            </Descriptions.Item>
            {data.previousEntryId && (
              <Descriptions.Item label={t('ledger.movedFrom')}>
                <Link to={`/ledger/${encodeURIComponent(data.previousEntryId)}`}>{data.previousEntryId}</Link>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Card>
      {data && (
        <Card>
          <Typography.Title level={3}>{t('ledger.history')}</Typography.Title>
          {data.historyIntact === false ? (
            <Alert type="error" showIcon message={t('ledger.historyBroken')} />
          ) : (
            <Alert type="success" showIcon message={t('ledger.historyIntact')} data-testid="history-intact" />
          )}
          <Timeline
            style={{ marginTop: 16 }}
            items={(data.history ?? []).map((event) => ({
              key: event.seq,
              children: (
                <Space direction="vertical" size={0}>
                  <span>
                    {event.on} · {t(event.action === 'registered' ? 'ledger.event.registered' : 'ledger.event.changed')}{' '}
                    <StatusTag entry={event} />
                    {event.householdEffect && <Tag>{t(`ledger.effect.${event.householdEffect}` as MessageKey)}</Tag>}
                  </span>
                  <Typography.Text type="secondary">
                    {event.evidence
                      ? `${t(`ledger.evidence.${event.evidence.kind}` as MessageKey)}${event.evidence.reference ? ` ${event.evidence.reference}` : ''} · `
                      : ''}
                    {event.actor.sub} · {event.at.slice(0, 16).replace('T', ' ')}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        </Card>
      )}
      {data && acting?.role === 'community-staff' && (
        <Card>
          <Typography.Title level={3}>{t('ledger.recordChange')}</Typography.Title>
          <ChangeForm
            key={data.version}
            entry={data}
            onDone={() => {
              void queries.invalidateQueries({ queryKey: ['ledger-entry', id] });
              void queries.invalidateQueries({ queryKey: ['ledger'] });
            }}
          />
        </Card>
      )}
    </Space>
  );
}
