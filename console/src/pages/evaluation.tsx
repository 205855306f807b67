/**
 * The city's annual evaluation (年度评估) of its communities: compute it for a year, every
 * community with each criterion passed or failed and its figures, the city approver's approval
 * (confirmed first; once, then it never changes), and the published list of full-employment
 * communities (充分就业社区).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { shanghaiDate } from '../../../functions/kernel/domain/dates.js';
import type { CommunityStanding } from '../api.js';
import { ApiError } from '../api.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert, YearInput } from '../widgets.js';

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

type Criterion = CommunityStanding['criteria'][number];

function CriterionCell({ result }: { result: Criterion | undefined }) {
  const t = useT();
  if (!result) return null;
  const figures =
    result.criterion === 'employment-rate'
      ? t('eval.figures.rate', {
          rate: percent(result.figures.rate),
          target: percent(result.figures.targetRate),
          employed: result.figures.employed,
          unemployed: result.figures.registeredUnemployed,
        })
      : result.criterion === 'zero-employment-families'
        ? t('eval.figures.zero', { days: result.figures.longestOpenDays, max: result.figures.maxOpenDays })
        : t('eval.figures.timeliness', {
            late: result.figures.recordedLate,
            recorded: result.figures.recorded,
            days: result.figures.withinDays,
          });
  return (
    <Space direction="vertical" size={0}>
      <Tag color={result.passed ? 'success' : 'error'}>{result.passed ? t('eval.passed') : t('eval.failed')}</Tag>
      <Typography.Text type="secondary">{figures}</Typography.Text>
    </Space>
  );
}

const criteria = ['employment-rate', 'zero-employment-families', 'ledger-timeliness'] as const;

export default function EvaluationPage() {
  const t = useT();
  const { client, acting } = useSession();
  const { modal, message } = App.useApp();
  const queries = useQueryClient();
  const [year, setYear] = useState(shanghaiDate(new Date()).slice(0, 4));
  const evaluation = useQuery({
    queryKey: ['evaluation', year],
    queryFn: () => client.evaluation(year),
    retry: false,
  });
  const published = useQuery({
    queryKey: ['full-employment', year],
    queryFn: () => client.fullEmploymentCommunities(year),
    retry: false,
  });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ['evaluation', year] });
    void queries.invalidateQueries({ queryKey: ['full-employment', year] });
  };
  const compute = useMutation({ mutationFn: () => client.computeEvaluation(year), onSuccess: refresh });
  const approve = useMutation({
    mutationFn: () => client.approveEvaluation(year),
    onSuccess: () => {
      void message.success(t('eval.approvedNow'));
      refresh();
    },
  });
  const notYet = evaluation.error instanceof ApiError && evaluation.error.status === 404;
  const data = evaluation.data;
  const approved = data?.status === 'approved';
  const passing = data?.standings.filter((s) => s.fullEmployment).length ?? 0;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('eval.title')}</Typography.Title>
        <Space wrap>
          <YearInput label={t('score.year')} value={year} onChange={setYear} />
          <Button type="primary" disabled={approved} loading={compute.isPending} onClick={() => compute.mutate()}>
            {t('eval.compute')}
          </Button>
          {acting?.role === 'city-approver' && data && !approved && (
            <Button
              loading={approve.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('eval.approveTitle', { year }),
                  content: t('eval.approveContent', { n: passing, total: data.standings.length }),
                  okText: t('eval.approve'),
                  cancelText: t('cancel'),
                  onOk: () => approve.mutateAsync(),
                })
              }
            >
              {t('eval.approve')}
            </Button>
          )}
        </Space>
        {data && (
          <Typography.Paragraph style={{ marginTop: 16 }} data-testid="eval-status">
            <Tag color={approved ? 'success' : 'processing'}>
              {approved ? t('eval.status.approved') : t('eval.status.computed')}
            </Tag>
            {t('eval.summary', {
              asOf: data.asOf,
              n: passing,
              total: data.standings.length,
              target: percent(data.criteria.targetRate),
              days: data.criteria.maxZeroEmploymentOpenDays,
              within: data.criteria.ledgerUpdatedWithinDays,
            })}
            {approved &&
              ` ${t('eval.approvedBy', { by: data.approvedBy ?? '', at: (data.approvedAt ?? '').slice(0, 16).replace('T', ' ') })}`}
          </Typography.Paragraph>
        )}
        {notYet && <Alert type="info" showIcon message={t('eval.none', { year })} />}
        {!notYet && <ProblemAlert error={evaluation.error} />}
        <ProblemAlert error={compute.error ?? approve.error} />
      </Card>
      {data && (
        <Card>
          <Table<CommunityStanding>
            rowKey="communityId"
            size="small"
            pagination={false}
            dataSource={data.standings}
            columns={[
              {
                title: t('eval.community'),
                dataIndex: 'communityName',
                render: (name: string | undefined, s) => name ?? s.communityId,
              },
              {
                title: t('eval.result'),
                dataIndex: 'fullEmployment',
                render: (full: boolean) => (
                  <Tag color={full ? 'success' : 'default'}>{full ? t('eval.full') : t('eval.notFull')}</Tag>
                ),
              },
              ...criteria.map((c) => ({
                title: t(`eval.criterion.${c}` as MessageKey),
                key: c,
                render: (_: unknown, s: CommunityStanding) => (
                  <CriterionCell result={s.criteria.find((r) => r.criterion === c)} />
                ),
              })),
            ]}
          />
        </Card>
      )}
      <Card>
        <Typography.Title level={3}>{t('eval.published', { year })}</Typography.Title>
        {published.data ? (
          <List
            data-testid="published"
            dataSource={published.data.communities}
            renderItem={(c) => <List.Item>{c.communityName ?? c.communityId}</List.Item>}
          />
        ) : (
          <Typography.Text type="secondary">{t('eval.notPublished')}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}
