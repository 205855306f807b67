/**
 * The full-employment scorecard (就业评分) of the acting unit, or a unit below it: the figures of
 * `GET /scorecard` for a month or a year (the same numbers, a browser test compares them), a chart
 * of the rate per child unit (ECharts, loaded after the figures), a click on a child drilling
 * down, and the CSV of the same card.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Input, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { shanghaiDate } from '../../../functions/kernel/domain/dates.js';
import type { Scorecard } from '../api.js';
import { type DrillStep, DrillTrail } from '../drill-trail.js';
import { yuan } from '../form-model.js';
import { type MessageKey, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemAlert, YearInput } from '../widgets.js';

const Chart = lazy(() => import('../chart.js').then((m) => ({ default: m.Chart })));

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
const thisMonth = () => shanghaiDate(new Date()).slice(0, 7);

export default function ScorecardPage() {
  const t = useT();
  const { client, acting } = useSession();
  const [kind, setKind] = useState<'year' | 'month'>('year');
  const [month, setMonth] = useState(thisMonth());
  const [year, setYear] = useState(thisMonth().slice(0, 4));
  const [trail, setTrail] = useState<DrillStep[]>([]);
  const unit = trail.at(-1)?.unit ?? acting?.unit;
  const period = kind === 'year' ? year : month;
  const query = { period, unit };
  const card = useQuery({ queryKey: ['scorecard', query], queryFn: () => client.scorecard(query) });
  const data = card.data;
  const children = data?.children ?? [];

  const download = async () => {
    const blob = await client.scorecardCsv(query);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `scorecard-${(unit ?? '').replace(':', '-')}-${period}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const drill = (child: Scorecard) => {
    if (!child.unit.startsWith('community:'))
      setTrail([...trail, { unit: child.unit, name: child.unitName ?? child.unit }]);
  };
  const subsidies = Object.entries(data?.subsidies ?? {});

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('score.title')}</Typography.Title>
        <Space wrap>
          <Segmented
            aria-label={t('score.period')}
            value={kind}
            onChange={(value) => setKind(value as 'year' | 'month')}
            options={[
              { value: 'year', label: t('score.year') },
              { value: 'month', label: t('score.month') },
            ]}
          />
          {kind === 'year' ? (
            <YearInput label={t('score.year')} value={year} onChange={setYear} />
          ) : (
            <Input
              aria-label={t('score.month')}
              type="month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
              style={{ width: 180 }}
            />
          )}
          <Button onClick={() => void download()}>{t('score.export')}</Button>
        </Space>
        <DrillTrail root={acting?.unit} trail={trail} onChange={setTrail} />
      </Card>
      <ProblemAlert error={card.error} />
      {data && (
        <Card>
          <Typography.Title level={3}>
            {data.unitName ?? data.unit} · {data.period}{' '}
            <Tag color={data.meetsTarget ? 'success' : 'error'}>
              {data.meetsTarget ? t('score.meets') : t('score.misses')}
            </Tag>
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('score.asOf', { day: data.asOf })}</Typography.Paragraph>
          <Row gutter={[16, 16]} data-testid="score-figures">
            {(
              [
                ['registeredUnemployed', data.registeredUnemployed],
                ['employed', data.employed],
                ['registeredInPeriod', data.registeredInPeriod],
                ['reemployedInPeriod', data.reemployedInPeriod],
                ['rate', percent(data.rate)],
                ['targetRate', percent(data.targetRate)],
                ['zeroFound', data.zeroEmployment.found],
                ['zeroResolved', data.zeroEmployment.resolved],
                ['zeroOpen', data.zeroEmployment.open],
              ] as const
            ).map(([name, value]) => (
              <Col key={name} xs={12} md={6} lg={4}>
                <Statistic title={t(`score.${name}`)} value={value} data-testid={`score-${name}`} />
              </Col>
            ))}
          </Row>
          {subsidies.length > 0 && (
            <Table
              style={{ marginTop: 16 }}
              size="small"
              rowKey={([programme]) => programme}
              pagination={false}
              dataSource={subsidies}
              columns={[
                {
                  title: t('col.programme'),
                  render: (_: unknown, [programme]) => t(`programme.${programme}` as MessageKey),
                },
                { title: t('score.count'), render: (_: unknown, [, figures]) => figures?.count ?? 0 },
                { title: t('score.amount'), render: (_: unknown, [, figures]) => yuan(figures?.fen ?? 0) },
              ]}
            />
          )}
          {data.zeroEmployment.openFamilies.length > 0 && (
            <>
              <Typography.Title level={4} style={{ marginTop: 16 }}>
                {t('score.openFamilies')}
              </Typography.Title>
              <Space wrap>
                {data.zeroEmployment.openFamilies.map((f) => (
                  <Tag key={f.householdId} color={f.daysOpen > 30 ? 'error' : 'warning'}>
                    {f.householdId} · {t('score.daysOpen', { n: f.daysOpen })}
                  </Tag>
                ))}
              </Space>
            </>
          )}
        </Card>
      )}
      {children.length > 0 && (
        <Card>
          <Typography.Title level={3}>{t('score.children')}</Typography.Title>
          <Suspense fallback={<div style={{ height: 300 }} />}>
            <Chart
              label={t('score.chart')}
              onClick={({ dataIndex }) => {
                const child = children[dataIndex];
                if (child) drill(child);
              }}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: children.map((c) => c.unitName ?? c.unit) },
                yAxis: [
                  { type: 'value', name: t('score.people') },
                  { type: 'value', max: 100, name: '%' },
                ],
                series: [
                  { name: t('score.employed'), type: 'bar', data: children.map((c) => c.employed) },
                  {
                    name: t('score.registeredUnemployed'),
                    type: 'bar',
                    data: children.map((c) => c.registeredUnemployed),
                  },
                  {
                    name: t('score.rate'),
                    type: 'line',
                    yAxisIndex: 1,
                    data: children.map((c) => (c.rate === null ? null : Math.round(c.rate * 1000) / 10)),
                  },
                ],
              }}
            />
          </Suspense>
          <Table<Scorecard>
            rowKey="unit"
            size="small"
            pagination={false}
            dataSource={children}
            columns={[
              {
                title: t('score.unit'),
                dataIndex: 'unit',
                render: (_: string, child) =>
                  child.unit.startsWith('community:') ? (
                    (child.unitName ?? child.unit)
                  ) : (
                    <Button type="link" size="small" onClick={() => drill(child)}>
                      {child.unitName ?? child.unit}
                    </Button>
                  ),
              },
              { title: t('score.registeredUnemployed'), dataIndex: 'registeredUnemployed' },
              { title: t('score.employed'), dataIndex: 'employed' },
              { title: t('score.rate'), dataIndex: 'rate', render: (rate: number | null) => percent(rate) },
              {
                title: t('score.zeroOpen'),
                render: (_: unknown, child) => child.zeroEmployment.open,
              },
              {
                title: t('score.target'),
                render: (_: unknown, child) => (
                  <Tag color={child.meetsTarget ? 'success' : 'error'}>
                    {child.meetsTarget ? t('score.meets') : t('score.misses')}
                  </Tag>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
