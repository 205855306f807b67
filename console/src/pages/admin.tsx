/** The city administrator's pages: the staff directory, the unit tree, policy versions with their diff, holiday calendars. */
import { useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import { type ReactElement, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { StaffView } from '../api.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert } from '../widgets.js';

function StaffDirectory() {
  const t = useT();
  const { client } = useSession();
  const staff = useQuery({ queryKey: ['staff'], queryFn: () => client.staff() });
  return (
    <>
      <ProblemAlert error={staff.error} />
      <Table
        rowKey="sub"
        loading={staff.isLoading}
        dataSource={staff.data?.items ?? []}
        columns={[
          { title: t('admin.sub'), dataIndex: 'sub' },
          { title: t('admin.name'), dataIndex: 'name' },
          {
            title: t('admin.assignments'),
            dataIndex: 'assignments',
            render: (list: StaffView['assignments']) => (
              <Space wrap>
                {list.map((a) => (
                  <Tag key={`${a.role}@${a.unit}@${a.from}`}>
                    {t(`role.${a.role}` as MessageKey)} · {a.unit} · {a.from}–{a.to ?? ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

function UnitTree() {
  const t = useT();
  const { client } = useSession();
  const units = useQuery({ queryKey: ['units'], queryFn: () => client.units() });
  type Node = { key: string; title: string; children: Node[] };
  const nodes = new Map<string, Node>();
  for (const u of units.data?.units ?? []) nodes.set(u.id, { key: u.id, title: `${u.name} (${u.id})`, children: [] });
  const roots: Node[] = [];
  for (const u of units.data?.units ?? []) {
    const node = nodes.get(u.id) as Node;
    const parent = u.parent ? nodes.get(u.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return (
    <>
      <ProblemAlert error={units.error} />
      <Typography.Paragraph>
        {t('admin.policyVersion')} {units.data?.version}
      </Typography.Paragraph>
      {roots.length > 0 && <Tree treeData={roots} defaultExpandAll />}
    </>
  );
}

function Policies() {
  const t = useT();
  const { client } = useSession();
  const policies = useQuery({ queryKey: ['policies'], queryFn: () => client.policies() });
  const versions = policies.data?.items ?? [];
  const [pair, setPair] = useState<[string, string]>();
  const diff = useQuery({
    queryKey: ['policy-diff', pair],
    queryFn: () => client.policyDiff(...(pair as [string, string])),
    enabled: Boolean(pair),
  });
  return (
    <>
      <ProblemAlert error={policies.error ?? diff.error} />
      <Table
        rowKey="version"
        pagination={false}
        dataSource={versions}
        columns={[
          { title: t('admin.policyVersion'), dataIndex: 'version' },
          { title: t('admin.effectiveFrom'), dataIndex: 'effectiveFrom' },
          { title: t('admin.policyStatus'), dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
        ]}
      />
      {versions.length > 1 && (
        <Space style={{ marginTop: 16 }}>
          <span>{t('admin.diff')}</span>
          <Select
            aria-label={t('admin.diff')}
            style={{ width: 240 }}
            options={versions.slice(1).map((v, i) => ({
              value: `${versions[i]?.version}|${v.version}`,
              label: `${versions[i]?.version} → ${v.version}`,
            }))}
            onChange={(value: string) => setPair(value.split('|') as [string, string])}
          />
        </Space>
      )}
      {diff.data && (
        <Table
          rowKey="path"
          pagination={false}
          dataSource={diff.data.changes}
          columns={[
            { title: t('admin.diffPath'), dataIndex: 'path' },
            { title: t('admin.diffFrom'), dataIndex: 'from', render: (v: unknown) => JSON.stringify(v) },
            { title: t('admin.diffTo'), dataIndex: 'to', render: (v: unknown) => JSON.stringify(v) },
          ]}
        />
      )}
    </>
  );
}

function Calendars() {
  const t = useT();
  const { client } = useSession();
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: () => client.calendars() });
  const items = calendars.data?.items ?? [];
  return (
    <>
      <ProblemAlert error={calendars.error} />
      <Table
        rowKey="year"
        pagination={false}
        dataSource={items}
        columns={[
          { title: t('admin.year'), dataIndex: 'year', width: 100 },
          { title: t('admin.holidays'), dataIndex: 'holidays', render: (d: string[]) => d.join('、') },
          { title: t('admin.makeUp'), dataIndex: 'makeUpWorkdays', render: (d: string[]) => d.join('、') },
        ]}
      />
    </>
  );
}

const pages: Record<string, { title: MessageKey; Page: () => ReactElement }> = {
  staff: { title: 'admin.staff', Page: StaffDirectory },
  units: { title: 'admin.units', Page: UnitTree },
  policies: { title: 'admin.policies', Page: Policies },
  calendars: { title: 'admin.calendars', Page: Calendars },
};

export default function AdminPages() {
  const t = useT();
  const { page = 'staff' } = useParams();
  const chosen = pages[page] ?? (pages.staff as (typeof pages)[string]);
  return (
    <Card>
      <Typography.Title level={2}>{t(chosen.title)}</Typography.Title>
      <chosen.Page />
    </Card>
  );
}
