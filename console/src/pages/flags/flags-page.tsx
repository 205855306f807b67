/**
 * 疑点核查: the suspicions the records checks raised in the acting person's city or district
 * (`GET /verification/flags`), filtered by status and unit, a page at a time; a row opens its
 * detail with the mismatches and, for an auditor, the disposition form. City approvers may read
 * the queue if the server lets them: the page shows only what it answers.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { type SuspicionStatus, suspicionStatuses } from '../../../../functions/kernel/domain/verification-results.js';
import type { SuspicionView } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useUnitNames, useUnitsUnder } from '../../unit-names.js';
import { checkName, suspicionColor } from '../../verification-model.js';
import { ProblemAlert } from '../../widgets.js';
import { FlagDrawer } from './flag-drawer.js';

export default function FlagsPage() {
  const t = useT();
  const { language } = useLanguage();
  const unitName = useUnitNames();
  const { client, acting } = useSession();
  const navigate = useNavigate();
  const { id } = useParams();
  // The filters live in the address, so opening a suspicion (its own address) and closing it keeps them.
  const [search, setSearch] = useSearchParams();
  const status = suspicionStatuses.find((s) => s === search.get('status')) ?? 'open';
  const unit = search.get('unit') ?? undefined;
  const filter = (next: { status: SuspicionStatus; unit?: string }) =>
    setSearch({ status: next.status, ...(next.unit ? { unit: next.unit } : {}) });
  const suffix = search.toString() ? `?${search}` : '';
  const units = useUnitsUnder(acting?.unit);
  const list = useInfiniteQuery({
    queryKey: ['flags', acting, status, unit],
    queryFn: ({ pageParam }) => client.flags({ status, unit, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card>
      <Typography.Title level={2}>{t('flags.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('flags.note')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('flags.status')}
          value={status}
          onChange={(next: SuspicionStatus) => filter({ status: next, unit })}
          style={{ width: 160 }}
          options={suspicionStatuses.map((s) => ({ value: s, label: t(`suspicion.${s}` as MessageKey) }))}
        />
        <Select
          aria-label={t('flags.unit')}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('flags.unit')}
          value={unit}
          onChange={(next?: string) => filter({ status, unit: next })}
          style={{ width: 240 }}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
        />
      </Space>
      <ProblemAlert error={list.error} />
      <Table<SuspicionView>
        rowKey="id"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('flags.empty') }}
        columns={[
          {
            title: t('flags.raisedAt'),
            dataIndex: 'raisedAt',
            render: (at: string) => at.slice(0, 16).replace('T', ' '),
          },
          {
            title: t('col.community'),
            key: 'community',
            render: (_, row) => unitName(row.communityId ?? row.unitPath?.at(-1)),
          },
          {
            title: t('col.programme'),
            dataIndex: 'programme',
            render: (p: string) => t(`programme.${p}` as MessageKey),
          },
          {
            title: t('flags.checks'),
            key: 'checks',
            render: (_, row) => (
              <Space wrap size={4}>
                {row.mismatches.map((m) => (
                  <Tag key={m.check}>{checkName(m, language)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('flags.status'),
            dataIndex: 'status',
            render: (s: SuspicionStatus) => <Tag color={suspicionColor[s]}>{t(`suspicion.${s}` as MessageKey)}</Tag>,
          },
          {
            title: '',
            key: 'open',
            render: (_, row) => (
              <Button
                type="link"
                aria-label={`${t('flags.open')} ${row.id}`}
                onClick={() => navigate(`/flags/${encodeURIComponent(row.id)}${suffix}`)}
              >
                {t('flags.open')}
              </Button>
            ),
          },
        ]}
      />
      {list.hasNextPage && (
        <Button style={{ marginTop: 16 }} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('list.loadMore')}
        </Button>
      )}
      {id && <FlagDrawer id={id} onClose={() => navigate(`/flags${suffix}`)} />}
    </Card>
  );
}
