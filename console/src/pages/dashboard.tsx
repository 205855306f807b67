/**
 * The city monitor's dashboard: the figures of `GET /metrics/throughput` (the same numbers, a
 * browser test compares them) as charts — submissions and decisions per day, week or month; the
 * backlog by stage; time in stage p50/p90; amounts granted; the units below, a click drilling
 * down — with date range, programme and granularity filters, and the CSV download.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Input, Row, Segmented, Select, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { approvalStages as stages } from '../../../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../../../functions/kernel/domain/dates.js';
import type { ProgrammeId } from '../../../functions/kernel/domain/programmes.js';
import { addDays } from '../../../functions/monitoring/domain/throughput-periods.js';
import type { ThroughputQuery } from '../api.js';
import { Chart } from '../chart.js';
import { type DrillStep, DrillTrail } from '../drill-trail.js';
import { programmes, yuan } from '../form-model.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert } from '../widgets.js';

export default function Dashboard() {
  const t = useT();
  const { client, acting } = useSession();
  const today = shanghaiDate(new Date());
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [granularity, setGranularity] = useState<ThroughputQuery['granularity']>('day');
  const [programme, setProgramme] = useState<ProgrammeId>();
  const [trail, setTrail] = useState<DrillStep[]>([]);
  const unit = trail.at(-1)?.unit ?? acting?.unit;
  const query: ThroughputQuery = { from, to, granularity, unit, ...(programme ? { programme } : {}) };
  const throughput = useQuery({ queryKey: ['throughput', query], queryFn: () => client.throughput(query) });
  const data = throughput.data;

  const perPeriod = useMemo(() => {
    const byPeriod = new Map<string, { submitted: number; approved: number; rejected: number; returned: number }>();
    for (const row of data?.rows ?? []) {
      const sum = byPeriod.get(row.period) ?? { submitted: 0, approved: 0, rejected: 0, returned: 0 };
      sum.submitted += row.submitted;
      sum.approved += row.approved;
      sum.rejected += row.rejected;
      sum.returned += row.returned;
      byPeriod.set(row.period, sum);
    }
    return [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [data]);
  const perUnit = useMemo(() => {
    const byUnit = new Map<string, { name: string; submitted: number; approved: number }>();
    for (const row of data?.rows ?? []) {
      const sum = byUnit.get(row.unit) ?? { name: row.unitName ?? row.unit, submitted: 0, approved: 0 };
      sum.submitted += row.submitted;
      sum.approved += row.approved;
      byUnit.set(row.unit, sum);
    }
    return [...byUnit.entries()];
  }, [data]);

  const download = async () => {
    const blob = await client.throughputCsv(query);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `throughput-${(unit ?? '').replace(':', '-')}-${from}-${to}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const totals = data?.totals;
  const granted = totals ? Object.values(totals.grantedFen).reduce((sum, fen) => sum + (fen ?? 0), 0) : 0;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('dash.title')}</Typography.Title>
        <Space wrap>
          <span>{t('dash.range')}</span>
          <Input
            type="date"
            aria-label={`${t('dash.range')} from`}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            style={{ width: 160 }}
          />
          <Input
            type="date"
            aria-label={`${t('dash.range')} to`}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            style={{ width: 160 }}
          />
          <Segmented
            aria-label={t('dash.granularity')}
            value={granularity}
            onChange={(value) => setGranularity(value as ThroughputQuery['granularity'])}
            options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`dash.${g}`) }))}
          />
          <Select
            aria-label={t('col.programme')}
            placeholder={t('col.programme')}
            allowClear
            value={programme}
            onChange={setProgramme}
            style={{ width: 240 }}
            options={programmes.map((p) => ({ value: p, label: t(`programme.${p}` as MessageKey) }))}
          />
          <Button onClick={() => void download()}>{t('dash.export')}</Button>
        </Space>
        <DrillTrail root={acting?.unit} trail={trail} onChange={setTrail} />
      </Card>
      <ProblemAlert error={throughput.error} />
      {totals && (
        <Card>
          <Row gutter={16} data-testid="totals">
            {(['submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'overdue'] as const).map((name) => (
              <Col key={name} xs={12} md={4}>
                <Statistic title={t(`dash.${name}`)} value={totals[name]} data-testid={`total-${name}`} />
              </Col>
            ))}
            <Col xs={24} md={6}>
              <Statistic title={t('dash.granted')} value={yuan(granted)} data-testid="total-granted" />
            </Col>
          </Row>
        </Card>
      )}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('dash.perPeriod')}>
            <Chart
              label={t('dash.perPeriod')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: perPeriod.map(([p]) => p) },
                yAxis: { type: 'value', minInterval: 1 },
                series: (['submitted', 'approved', 'rejected', 'returned'] as const).map((name) => ({
                  name: t(`dash.${name}`),
                  type: 'line',
                  data: perPeriod.map(([, sum]) => sum[name]),
                })),
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dash.perUnit')}>
            <Chart
              label={t('dash.perUnit')}
              onClick={({ dataIndex }) => {
                const entry = perUnit[dataIndex];
                if (entry && !entry[0].startsWith('community:'))
                  setTrail([...trail, { unit: entry[0], name: entry[1].name }]);
              }}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: perUnit.map(([, u]) => u.name) },
                yAxis: { type: 'value', minInterval: 1 },
                series: (['submitted', 'approved'] as const).map((name) => ({
                  name: t(`dash.${name}`),
                  type: 'bar',
                  data: perUnit.map(([, u]) => u[name]),
                })),
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('dash.backlog')}>
            <Chart
              label={t('dash.backlog')}
              height={240}
              option={{
                tooltip: {},
                xAxis: { type: 'category', data: stages.map((s) => t(`stage.${s}`)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', data: stages.map((s) => totals?.backlog[s] ?? 0) }],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('dash.timeInStage')}>
            <Chart
              label={t('dash.timeInStage')}
              height={240}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: stages.map((s) => t(`stage.${s}`)) },
                yAxis: { type: 'value' },
                series: (['p50', 'p90'] as const).map((p) => ({
                  name: p,
                  type: 'bar',
                  data: stages.map((s) => totals?.timeInStageHours[s][p] ?? 0),
                })),
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('dash.granted')}>
            <Chart
              label={t('dash.granted')}
              height={240}
              option={{
                tooltip: {},
                series: [
                  {
                    type: 'pie',
                    radius: '60%',
                    data: Object.entries(totals?.grantedFen ?? {}).map(([p, fen]) => ({
                      name: t(`programme.${p}` as MessageKey),
                      value: (fen ?? 0) / 100,
                    })),
                  },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
