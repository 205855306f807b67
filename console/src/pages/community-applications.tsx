/**
 * Community staff's list: what was returned to them (the API's inbox for their role, with the
 * approver's comment on the application page) and what they took in during this session, each
 * with its current status; filtered by status and programme, searched by the applicant's name.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApplicationView } from '../api.js';
import { programmes } from '../form-model.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert } from '../widgets.js';

const submittedKey = 'console.submitted';

export function rememberSubmitted(application: ApplicationView): void {
  const kept = JSON.parse(window.sessionStorage.getItem(submittedKey) ?? '[]') as string[];
  window.sessionStorage.setItem(
    submittedKey,
    JSON.stringify([application.id, ...kept.filter((id) => id !== application.id)]),
  );
}

interface Row {
  id: string;
  name: string;
  programme: string;
  status: string;
  stage: string | null;
  submittedAt: string;
  returnRound: number;
}

export default function CommunityApplications() {
  const t = useT();
  const { client, acting } = useSession();
  const [status, setStatus] = useState<string>();
  const [programme, setProgramme] = useState<string>();
  const [name, setName] = useState('');
  const returned = useQuery({
    queryKey: ['inbox', acting, programme],
    queryFn: () => client.inbox({ programme, limit: 200 }),
  });
  const remembered = JSON.parse(window.sessionStorage.getItem(submittedKey) ?? '[]') as string[];
  const session = useQueries({
    queries: remembered.map((id) => ({ queryKey: ['application', id], queryFn: () => client.application(id) })),
  });
  const rows = new Map<string, Row>();
  // What this session took in first: shown with the applicant's name as this role may see it.
  for (const { data } of session)
    if (data)
      rows.set(data.id, {
        id: data.id,
        name: String(data.applicant.name ?? ''),
        programme: data.programme,
        status: data.status,
        stage: data.stage,
        submittedAt: data.submittedAt,
        returnRound: data.returnRound,
      });
  for (const item of returned.data?.items ?? [])
    if (!rows.has(item.id))
      rows.set(item.id, {
        id: item.id,
        name: item.applicant.name,
        programme: item.programme,
        status: 'returned',
        stage: item.stage,
        submittedAt: item.submittedAt,
        returnRound: item.returnRound,
      });
  const shown = [...rows.values()].filter(
    (r) =>
      (!status || r.status === status) && (!programme || r.programme === programme) && (!name || r.name.includes(name)),
  );
  return (
    <Card>
      <Typography.Title level={2}>{t('list.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('list.note')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('col.status')}
          allowClear
          placeholder={t('col.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={['in_review', 'returned', 'approved', 'rejected', 'withdrawn'].map((s) => ({
            value: s,
            label: t(`status.${s}` as MessageKey),
          }))}
        />
        <Select
          aria-label={t('col.programme')}
          allowClear
          placeholder={t('col.programme')}
          value={programme}
          onChange={setProgramme}
          style={{ width: 240 }}
          options={programmes.map((p) => ({ value: p, label: t(`programme.${p}` as MessageKey) }))}
        />
        <Input.Search
          aria-label={t('search')}
          placeholder={t('col.applicant')}
          allowClear
          onSearch={setName}
          style={{ width: 220 }}
        />
      </Space>
      <ProblemAlert error={returned.error} />
      <Table<Row>
        rowKey="id"
        loading={returned.isLoading}
        dataSource={shown}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('col.applicant'),
            dataIndex: 'name',
            render: (value: string, row) => (
              <Link to={`/applications/${encodeURIComponent(row.id)}`}>{value || row.id}</Link>
            ),
          },
          {
            title: t('col.programme'),
            dataIndex: 'programme',
            render: (p: string) => t(`programme.${p}` as MessageKey),
          },
          {
            title: t('col.status'),
            dataIndex: 'status',
            render: (s: string, row) => (
              <Space>
                <Tag color={s === 'returned' ? 'warning' : s === 'approved' ? 'success' : undefined}>
                  {t(`status.${s}` as MessageKey)}
                </Tag>
                {row.returnRound > 0 && <Tag>{t('mark.returned', { n: row.returnRound })}</Tag>}
              </Space>
            ),
          },
          {
            title: t('col.submittedAt'),
            dataIndex: 'submittedAt',
            render: (at: string) => at.slice(0, 16).replace('T', ' '),
          },
        ]}
      />
    </Card>
  );
}
