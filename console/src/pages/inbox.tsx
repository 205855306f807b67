/**
 * The approvers' inbox: counts per stage under their unit, what was escalated to them, then what
 * waits at their stage, oldest due first (the API's order), overdue and escalated items marked;
 * filtered by programme and community. The table scrolls virtually, so 2,000 rows stay smooth.
 * 批量通过 approves the selected rows after a confirmation listing them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Modal, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { type Key, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Client, InboxLine } from '../api.js';
import { programmes } from '../form-model.js';
import { type MessageKey, type Translate, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useCommunitiesUnder, useUnitNames } from '../unit-names.js';
import { ProblemAlert } from '../widgets.js';

/** Every page of the inbox: the API gives at most 200 a page. */
async function wholeInbox(client: Client, filters: { programme?: string; communityId?: string }) {
  const first = await client.inbox({ ...filters, limit: 200 });
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor && items.length < 10_000) {
    const page = await client.inbox({ ...filters, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return { ...first, items };
}

function columns(t: Translate, unitName: (unitId: string) => string) {
  return [
    {
      title: t('col.applicant'),
      dataIndex: ['applicant', 'name'],
      width: 140,
      render: (name: string, item: InboxLine) => (
        <Link to={`/applications/${encodeURIComponent(item.id)}`}>{name}</Link>
      ),
    },
    {
      title: t('col.programme'),
      dataIndex: 'programme',
      width: 200,
      render: (p: string) => t(`programme.${p}` as MessageKey),
    },
    { title: t('col.community'), dataIndex: 'communityId', width: 180, render: (id: string) => unitName(id) },
    {
      title: t('col.submittedAt'),
      dataIndex: 'submittedAt',
      width: 150,
      render: (at: string) => at.slice(0, 16).replace('T', ' '),
    },
    {
      title: t('col.dueAt'),
      dataIndex: 'dueAt',
      width: 150,
      render: (at?: string) => at?.slice(0, 16).replace('T', ' ') ?? '',
    },
    { title: t('col.daysWaiting'), dataIndex: 'daysWaiting', width: 110 },
    {
      title: t('col.marks'),
      key: 'marks',
      width: 200,
      render: (_: unknown, item: InboxLine) => (
        <Space size={4}>
          {item.overdue && <Tag color="error">{t('mark.overdue')}</Tag>}
          {item.escalatedTo && <Tag color="processing">{t('mark.escalated')}</Tag>}
          {item.returnRound > 0 && <Tag color="warning">{t('mark.returned', { n: item.returnRound })}</Tag>}
        </Space>
      ),
    },
  ];
}

export default function InboxPage() {
  const t = useT();
  const unitName = useUnitNames();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [programme, setProgramme] = useState<string>();
  const [communityId, setCommunityId] = useState<string>();
  const communities = useCommunitiesUnder(acting?.unit);
  const [selected, setSelected] = useState<InboxLine[]>([]);
  const [confirming, setConfirming] = useState(false);
  const inbox = useQuery({
    queryKey: ['inbox', acting, programme, communityId],
    queryFn: () => wholeInbox(client, { programme, communityId }),
  });
  const batch = useMutation({
    mutationFn: () => client.batchApprove(selected.map((i) => ({ applicationId: i.id, expectedVersion: i.version }))),
    onSuccess: (answer) => {
      setConfirming(false);
      setSelected([]);
      void message.success(t('inbox.batchDone', { ok: answer.succeeded, failed: answer.failed }));
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  const data = inbox.data;
  // Stable props: the virtual table re-renders its rows only when these change, not on every parent render.
  const tableColumns = useMemo(() => columns(t, unitName), [t, unitName]);
  const selectedKeys = useMemo(() => selected.map((i) => i.id), [selected]);
  const rowSelection = useMemo(
    () => ({
      selectedRowKeys: selectedKeys,
      onChange: (_keys: Key[], rows: InboxLine[]) => setSelected(rows),
      getCheckboxProps: (item: InboxLine) =>
        ({ 'aria-label': t('inbox.select', { name: item.applicant.name }) }) as object,
    }),
    [selectedKeys, t],
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('inbox.title')}</Typography.Title>
        <section aria-label={t('inbox.counts')}>
          <Space size="large" wrap>
            {Object.entries(data?.counts ?? {}).map(([stage, count]) => (
              <Statistic key={stage} title={t(`stage.${stage}` as MessageKey)} value={count} />
            ))}
          </Space>
        </section>
      </Card>
      {(data?.escalated.items.length ?? 0) > 0 && (
        <Card title={t('inbox.escalated')}>
          <Table<InboxLine>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data?.escalated.items}
            columns={tableColumns}
          />
        </Card>
      )}
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            aria-label={t('inbox.filterProgramme')}
            placeholder={t('inbox.filterProgramme')}
            allowClear
            value={programme}
            onChange={setProgramme}
            style={{ width: 240 }}
            options={programmes.map((p) => ({ value: p, label: t(`programme.${p}` as MessageKey) }))}
          />
          <Select
            aria-label={t('inbox.filterCommunity')}
            placeholder={t('inbox.filterCommunity')}
            allowClear
            showSearch
            optionFilterProp="label"
            value={communityId}
            onChange={setCommunityId}
            options={communities.map((c) => ({ value: c.id, label: c.name }))}
            style={{ width: 240 }}
          />
          <Button type="primary" disabled={selected.length === 0} onClick={() => setConfirming(true)}>
            {t('inbox.batchApprove')}
          </Button>
        </Space>
        <ProblemAlert error={inbox.error ?? batch.error} />
        <Table<InboxLine>
          rowKey="id"
          virtual
          scroll={{ x: 1200, y: 600 }}
          loading={inbox.isLoading}
          pagination={false}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('inbox.empty') }}
          rowSelection={rowSelection}
          columns={tableColumns}
        />
      </Card>
      <Modal
        open={confirming}
        title={t('inbox.batchApprove')}
        okText={t('inbox.batchApprove')}
        cancelText={t('cancel')}
        okButtonProps={{ loading: batch.isPending }}
        onOk={() => batch.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('inbox.batchConfirm', { n: selected.length })}</p>
        <ul>
          {selected.map((i) => (
            <li key={i.id}>
              {i.applicant.name} · {t(`programme.${i.programme}` as MessageKey)} · {unitName(i.communityId)}
            </li>
          ))}
        </ul>
      </Modal>
    </Space>
  );
}
