/**
 * Community staff's list: every application their community took in, open or final, newest first
 * (`GET /applications`), filtered by status and programme and searched by the applicant's name on
 * the server, a page at a time ("加载更多").
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { applicationStatuses as statuses } from '../../../functions/kernel/domain/application-events.js';
import type { ApplicationListLine } from '../api.js';
import { programmes } from '../form-model.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert } from '../widgets.js';

const pageSize = 20;

export default function CommunityApplications() {
  const t = useT();
  const { client, acting } = useSession();
  const [status, setStatus] = useState<string>();
  const [programme, setProgramme] = useState<string>();
  const [name, setName] = useState('');
  const q = name.trim() || undefined;
  const list = useInfiniteQuery({
    queryKey: ['applications', acting, status, programme, q],
    queryFn: ({ pageParam }) => client.applications({ status, programme, q, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
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
          options={statuses.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }))}
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
          aria-label={t('list.searchName')}
          placeholder={t('list.searchName')}
          allowClear
          maxLength={32}
          onSearch={setName}
          style={{ width: 220 }}
        />
      </Space>
      <ProblemAlert error={list.error} />
      <Table<ApplicationListLine>
        rowKey="id"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          {
            title: t('col.applicant'),
            dataIndex: ['applicant', 'name'],
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
      {list.hasNextPage && (
        <Button style={{ marginTop: 16 }} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('list.loadMore')}
        </Button>
      )}
    </Card>
  );
}
