/**
 * An application's webhook endpoints, for the community staff who registered them: register (the
 * secret shown once, with a copy button), the deliveries with every attempt, replay, pause and
 * resume, rotate the secret.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { webhookEventTypes } from '../../../functions/webhooks/domain/webhook-events.js';
import type { DeliveryView, EndpointView } from '../api.js';
import { useLanguage, useT } from '../i18n/index.js';
import { useSession } from '../session.js';
import { fieldErrorsOf, ProblemAlert } from '../widgets.js';

function SecretOnce({ secret }: { secret: string }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <Alert
      type="warning"
      showIcon
      message={t('hook.secretOnce')}
      description={
        <Space>
          <Typography.Text code data-testid="webhook-secret">
            {secret}
          </Typography.Text>
          <Button
            size="small"
            onClick={() => void navigator.clipboard.writeText(secret).then(() => message.success(t('copied')))}
          >
            {t('copy')}
          </Button>
        </Space>
      }
    />
  );
}

function Deliveries({ endpoint }: { endpoint: EndpointView }) {
  const t = useT();
  const { client } = useSession();
  const queries = useQueryClient();
  const deliveries = useQuery({
    queryKey: ['deliveries', endpoint.id],
    queryFn: () => client.webhookDeliveries(endpoint.id),
  });
  const replay = useMutation({
    mutationFn: (id: string) => client.replayDelivery(id),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['deliveries', endpoint.id] }),
  });
  return (
    <Table<DeliveryView>
      rowKey="id"
      size="small"
      pagination={false}
      loading={deliveries.isLoading}
      dataSource={deliveries.data?.items ?? []}
      expandable={{
        expandIcon: ({ expanded, onExpand, record }) => (
          <Button
            size="small"
            type="text"
            aria-expanded={expanded}
            aria-label={`${t('hook.attempts')} #${record.seq}`}
            onClick={(event) => onExpand(record, event)}
          >
            {expanded ? '−' : '+'}
          </Button>
        ),
        expandedRowRender: (d) => (
          <ul>
            {d.attempts.map((a) => (
              <li key={a.at}>
                {a.at} · {a.statusCode ?? '—'} · {a.durationMs ?? '—'} ms {a.error ?? ''}{' '}
                {a.nextRetryAt ? `→ ${a.nextRetryAt}` : ''}
              </li>
            ))}
          </ul>
        ),
      }}
      columns={[
        { title: '#', dataIndex: 'seq', width: 60 },
        { title: t('hook.events'), dataIndex: 'eventType' },
        { title: t('col.status'), dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
        { title: t('hook.attempts'), key: 'attempts', render: (_: unknown, d) => d.attempts.length },
        {
          title: '',
          key: 'replay',
          render: (_: unknown, d) => (
            <Button size="small" onClick={() => replay.mutate(d.id)}>
              {t('hook.replay')}
            </Button>
          ),
        },
      ]}
    />
  );
}

export default function Webhooks() {
  const t = useT();
  const { language } = useLanguage();
  const { id = '' } = useParams();
  const { client } = useSession();
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([...webhookEventTypes]);
  const [secret, setSecret] = useState<string>();
  const endpoints = useQuery({ queryKey: ['webhooks', id], queryFn: () => client.webhookEndpoints(id) });
  const refresh = () => queries.invalidateQueries({ queryKey: ['webhooks', id] });
  const register = useMutation({
    mutationFn: () => client.registerWebhook({ url, events, applicationId: id }),
    onSuccess: (created) => {
      setSecret(created.secret);
      setUrl('');
      void refresh();
    },
  });
  const act = useMutation({
    mutationFn: ({ endpoint, action }: { endpoint: string; action: 'pause' | 'resume' | 'rotate-secret' }) =>
      client.webhookAction(endpoint, action),
    onSuccess: (answer) => {
      if (typeof answer.secret === 'string') setSecret(answer.secret);
      void refresh();
    },
  });
  const errors = fieldErrorsOf(register.error, language);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('hook.title')}</Typography.Title>
        <Link to={`/applications/${encodeURIComponent(id)}`}>{t('back')}</Link>
        <Form layout="vertical" style={{ marginTop: 16 }}>
          <Form.Item
            label={t('hook.url')}
            htmlFor="hook-url"
            validateStatus={errors.url ? 'error' : undefined}
            help={errors.url}
          >
            <Input id="hook-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
          </Form.Item>
          <Form.Item label={t('hook.events')}>
            <Checkbox.Group
              value={events}
              onChange={(v) => setEvents(v as string[])}
              options={[...webhookEventTypes]}
            />
          </Form.Item>
          <Button type="primary" loading={register.isPending} onClick={() => register.mutate()}>
            {t('hook.register')}
          </Button>
        </Form>
        <ProblemAlert error={register.error ?? act.error} />
        {secret && <SecretOnce secret={secret} />}
      </Card>
      {(endpoints.data?.items ?? []).map((endpoint) => (
        <Card
          key={endpoint.id}
          title={
            <Space>
              {endpoint.url}
              <Tag>{endpoint.status}</Tag>
            </Space>
          }
          extra={
            <Space>
              {endpoint.status === 'active' ? (
                <Button onClick={() => act.mutate({ endpoint: endpoint.id, action: 'pause' })}>
                  {t('hook.pause')}
                </Button>
              ) : (
                <Button onClick={() => act.mutate({ endpoint: endpoint.id, action: 'resume' })}>
                  {t('hook.resume')}
                </Button>
              )}
              <Button onClick={() => act.mutate({ endpoint: endpoint.id, action: 'rotate-secret' })}>
                {t('hook.rotate')}
              </Button>
            </Space>
          }
        >
          <Typography.Title level={5}>{t('hook.deliveries')}</Typography.Title>
          <Deliveries endpoint={endpoint} />
        </Card>
      ))}
    </Space>
  );
}
