/**
 * 月度复核: the monthly re-check of active grants, for the city's monitors and administrators. Pick a
 * month (the one just ended first), read its report (`GET /verification/runs/{month}`: where it
 * stands, the grants checked, those waiting on data, the grants suspended and from which month), or
 * ask for a run by hand (`POST /verification/runs`; a month once, whatever is pressed).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, type RecheckReport } from '../api.js';
import { type MessageKey, useLanguage, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useUnitNames } from '../unit-names.js';
import { monthJustEnded, pendingGrants, suspensionReason } from '../verification-model.js';
import { ProblemAlert } from '../widgets.js';

type Suspended = RecheckReport['suspended'][number];

export default function RecheckPage() {
  const t = useT();
  const { language } = useLanguage();
  const unitName = useUnitNames();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [month, setMonth] = useState(() => monthJustEnded(new Date()));
  const report = useQuery({
    queryKey: ['recheck', acting, month],
    queryFn: () => client.recheckRun(month),
    retry: false,
  });
  const request = useMutation({
    mutationFn: () => client.requestRecheckRun(month),
    onSuccess: (answer) => {
      queries.setQueryData(['recheck', acting, month], answer);
      void message.success(t('recheck.requested', { month }));
    },
  });
  const notRun = report.error instanceof ApiError && report.error.status === 404;
  const r = report.data;
  return (
    <Card>
      <Typography.Title level={2}>{t('recheck.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('recheck.note')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker
          picker="month"
          aria-label={t('recheck.month')}
          allowClear={false}
          value={dayjs(`${month}-01`).locale(language === 'zh' ? 'zh-cn' : 'en')}
          disabledDate={(d) => d.format('YYYY-MM') > monthJustEnded(new Date())}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
        />
        <Button type="primary" loading={request.isPending} onClick={() => request.mutate()}>
          {t('recheck.run')}
        </Button>
        <Button loading={report.isFetching} onClick={() => void report.refetch()}>
          {t('recheck.refresh')}
        </Button>
      </Space>
      <ProblemAlert error={request.error} />
      {notRun ? (
        <Alert type="info" showIcon message={t('recheck.none', { month })} />
      ) : (
        <ProblemAlert error={report.error} />
      )}
      {r && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={3} size="small" bordered data-testid="recheck-report">
            <Descriptions.Item label={t('recheck.status')}>
              {['requested', 'running', 'finished'].includes(r.status)
                ? t(`recheck.status.${r.status}` as MessageKey)
                : r.status}
            </Descriptions.Item>
            <Descriptions.Item label={t('recheck.grantsChecked')}>{r.grantsChecked}</Descriptions.Item>
            <Descriptions.Item label={t('recheck.pending')}>{pendingGrants(r.pending)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={4}>{t('recheck.suspended')}</Typography.Title>
          <Table<Suspended>
            rowKey="applicationId"
            dataSource={r.suspended}
            pagination={false}
            // Antd greys an empty table's text below the contrast a reader needs: said in the body's colour.
            locale={{ emptyText: <Typography.Text>{t('recheck.noneSuspended')}</Typography.Text> }}
            columns={[
              {
                title: t('col.id'),
                dataIndex: 'applicationId',
                render: (id: string) => <Link to={`/applications/${encodeURIComponent(id)}`}>{id}</Link>,
              },
              {
                title: t('col.programme'),
                dataIndex: 'programme',
                render: (p: string) => t(`programme.${p}` as MessageKey),
              },
              { title: t('col.community'), dataIndex: 'communityId', render: (id: string) => unitName(id) },
              { title: t('recheck.suspendedFrom'), dataIndex: 'suspendedFrom' },
              {
                title: t('recheck.reason'),
                dataIndex: 'reason',
                render: (reason: Suspended['reason']) => suspensionReason(reason, language),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
