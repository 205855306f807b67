/**
 * Community staff's employment ledger (失业人员台账): the community's people with their status
 * and household, filtered by status and by zero-employment family (open / resolved), and the form
 * that registers a person (`register-form.tsx`); one entry's page is `entry-page.tsx`.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ledgerStatuses } from '../../../../functions/employment/domain/employment-ledger.js';
import type { LedgerEntryView } from '../../api.js';
import { type MessageKey, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { ProblemAlert } from '../../widgets.js';
import { RegisterForm } from './register-form.js';
import { StatusTag } from './status-tag.js';

export default function LedgerPage() {
  const t = useT();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>();
  const [zero, setZero] = useState<string>();
  const [registering, setRegistering] = useState(false);
  const list = useQuery({
    queryKey: ['ledger', acting, status, zero],
    queryFn: () => client.ledgerEntries({ status, zeroEmployment: zero }),
  });
  const households = new Map((list.data?.households ?? []).map((h) => [h.id, h]));
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('ledger.title')}</Typography.Title>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            aria-label={t('col.status')}
            allowClear
            placeholder={t('col.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={ledgerStatuses.map((s) => ({ value: s, label: t(`ledger.status.${s}` as MessageKey) }))}
          />
          <Select
            aria-label={t('ledger.zeroEmployment')}
            allowClear
            placeholder={t('ledger.zeroEmployment')}
            value={zero}
            onChange={setZero}
            style={{ width: 200 }}
            options={(['open', 'resolved'] as const).map((z) => ({ value: z, label: t(`ledger.zero.${z}`) }))}
          />
          <Button type="primary" onClick={() => setRegistering(!registering)}>
            {t('ledger.registerPerson')}
          </Button>
          <span data-testid="ledger-count">{t('ledger.count', { n: list.data?.count ?? 0 })}</span>
        </Space>
        <ProblemAlert error={list.error} />
        <Table<LedgerEntryView>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.entries ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('form.name'),
              dataIndex: 'name',
              render: (name: string | undefined, row) => (
                <Link to={`/ledger/${encodeURIComponent(row.id)}`}>{name ?? row.id}</Link>
              ),
            },
            { title: t('form.idNumber'), dataIndex: 'idNumber' },
            { title: t('col.status'), dataIndex: 'status', render: (_: unknown, row) => <StatusTag entry={row} /> },
            { title: t('ledger.statusSince'), dataIndex: 'statusSince' },
            {
              title: t('ledger.household'),
              dataIndex: 'householdId',
              render: (id: string) => {
                const h = households.get(id);
                return (
                  <Space>
                    {h?.label ?? id}
                    {h?.zeroEmployment && (
                      <Tag color="error">{t('ledger.zeroFamily', { since: h.zeroSince ?? '' })}</Tag>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      {registering && (
        <Card>
          <Typography.Title level={3}>{t('ledger.registerPerson')}</Typography.Title>
          <RegisterForm
            households={list.data?.households ?? []}
            onDone={(entry) => {
              void queries.invalidateQueries({ queryKey: ['ledger'] });
              // Straight to the new entry: its history, and the form for the change that usually follows.
              navigate(`/ledger/${encodeURIComponent(entry.id)}`);
            }}
          />
        </Card>
      )}
    </Space>
  );
}
