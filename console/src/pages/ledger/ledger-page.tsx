/**
 * Community staff's employment ledger (失业人员台账): the community's people with their status
 * and household, filtered by status and by zero-employment family (open / resolved); registering
 * a person (judged in the browser by the API's own schema, the resident ID's check digit as it is
 * typed); and one entry's page with its verified history and the form that records a change.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  employmentKinds,
  ledgerStatuses,
  registrationSchema,
  statusChangeSchema,
} from '../../../../functions/employment/domain/employment-ledger.js';
import { shanghaiDate } from '../../../../functions/kernel/domain/dates.js';
import { ApiError, type HouseholdView, type LedgerEntryView } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type FieldMessages, residentIdHint, validateWith } from '../../validation.js';
import { fieldErrorsOf, ProblemAlert } from '../../widgets.js';

const shanghaiToday = () => shanghaiDate(new Date());
const evidenceKinds = [
  'unemployment-registration',
  'employment-contract',
  'flexible-employment-registration',
  'business-licence',
  'statement',
] as const;

function StatusTag({ entry }: { entry: Pick<LedgerEntryView, 'status' | 'employment'> }) {
  const t = useT();
  return (
    <Tag color={entry.status === 'employed' ? 'success' : entry.status === 'unemployed' ? 'warning' : undefined}>
      {t(`ledger.status.${entry.status}` as MessageKey)}
      {entry.employment ? ` · ${t(`ledger.employment.${entry.employment}` as MessageKey)}` : ''}
    </Tag>
  );
}

function RegisterForm({
  households,
  onDone,
}: {
  households: HouseholdView[];
  onDone: (entry: LedgerEntryView) => void;
}) {
  const t = useT();
  const { language } = useLanguage();
  const { client } = useSession();
  const { message } = App.useApp();
  const [values, setValues] = useState({
    idNumber: '',
    name: '',
    phone: '',
    registeredOn: shanghaiToday(),
    certificateHolder: false,
    household: 'new',
    label: '',
  });
  const [errors, setErrors] = useState<FieldMessages>({});
  const register = useMutation({
    mutationFn: (body: unknown) => client.registerLedgerEntry(body),
    onSuccess: (entry) => {
      void message.success(t('ledger.registered'));
      onDone(entry);
    },
    onError: (error) =>
      // The same person in the city already (409): said in the person's language, with the way to that entry.
      setErrors(
        error instanceof ApiError && error.status === 409
          ? { idNumber: t('ledger.already') }
          : fieldErrorsOf(error, language),
      ),
  });
  const existing =
    register.error instanceof ApiError ? (register.error.problem.existingEntryId as string | undefined) : undefined;
  const idHint = residentIdHint(values.idNumber, language);
  const set = (name: keyof typeof values) => (value: string | boolean) => setValues({ ...values, [name]: value });
  const submit = () => {
    const body = {
      idNumber: values.idNumber.toUpperCase(),
      name: values.name,
      ...(values.phone ? { phone: values.phone } : {}),
      registeredOn: values.registeredOn,
      certificateHolder: values.certificateHolder,
      household:
        values.household === 'new' ? { new: values.label ? { label: values.label } : {} } : { id: values.household },
    };
    const judged = validateWith(registrationSchema, body, language);
    const found = judged.ok ? {} : judged.errors;
    if (idHint) found.idNumber ??= idHint;
    setErrors(found);
    if (Object.keys(found).length === 0) register.mutate(body);
  };
  const item = (name: string, label: MessageKey, child: React.ReactNode, extra?: string) => (
    <Form.Item
      label={t(label)}
      htmlFor={`ledger-${name}`}
      validateStatus={errors[name] ? 'error' : undefined}
      help={errors[name] ?? extra}
    >
      {child}
    </Form.Item>
  );
  return (
    <Form layout="vertical" onFinish={submit} style={{ maxWidth: 560 }}>
      {item(
        'idNumber',
        'form.idNumber',
        <Input
          id="ledger-idNumber"
          value={values.idNumber}
          maxLength={18}
          onChange={(e) => set('idNumber')(e.target.value)}
          status={idHint ? 'error' : undefined}
        />,
        idHint ?? (values.idNumber.length === 18 ? t('form.idNumberOk') : t('form.idNumberHint')),
      )}
      {item(
        'name',
        'form.name',
        <Input id="ledger-name" value={values.name} onChange={(e) => set('name')(e.target.value)} />,
      )}
      {item(
        'phone',
        'form.phone',
        <Input id="ledger-phone" value={values.phone} onChange={(e) => set('phone')(e.target.value)} />,
      )}
      {item(
        'registeredOn',
        'ledger.registeredOn',
        <Input
          id="ledger-registeredOn"
          type="date"
          value={values.registeredOn}
          onChange={(e) => set('registeredOn')(e.target.value)}
        />,
      )}
      <Form.Item>
        <Checkbox checked={values.certificateHolder} onChange={(e) => set('certificateHolder')(e.target.checked)}>
          {t('ledger.certificateHolder')}
        </Checkbox>
      </Form.Item>
      {item(
        'household',
        'ledger.household',
        <Select
          id="ledger-household"
          aria-label={t('ledger.household')}
          value={values.household}
          onChange={set('household')}
          showSearch
          options={[
            { value: 'new', label: t('ledger.newHousehold') },
            ...households.map((h) => ({ value: h.id, label: h.label ? `${h.label} (${h.id})` : h.id })),
          ]}
        />,
      )}
      {values.household === 'new' &&
        item(
          'household.new.label',
          'ledger.householdLabel',
          <Input id="ledger-household.new.label" value={values.label} onChange={(e) => set('label')(e.target.value)} />,
        )}
      <ProblemAlert error={register.error} />
      {existing && (
        <Link to={`/ledger/${encodeURIComponent(existing)}`} data-testid="existing-entry">
          {t('ledger.openExisting')}
        </Link>
      )}
      <br />
      <Button type="primary" htmlType="submit" loading={register.isPending} style={{ marginTop: 12 }}>
        {t('ledger.register')}
      </Button>
    </Form>
  );
}

export default function LedgerPage() {
  const t = useT();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>();
  const [zero, setZero] = useState<string>();
  const [registering, setRegistering] = useState(false);
  const list = useQuery({
    queryKey: ['ledger', acting, status, zero],
    queryFn: () => client.ledgerEntries({ status, zeroEmployment: zero }),
  });
  const households = new Map((list.data?.households ?? []).map((h) => [h.id, h]));
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2}>{t('ledger.title')}</Typography.Title>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            aria-label={t('col.status')}
            allowClear
            placeholder={t('col.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={ledgerStatuses.map((s) => ({ value: s, label: t(`ledger.status.${s}` as MessageKey) }))}
          />
          <Select
            aria-label={t('ledger.zeroEmployment')}
            allowClear
            placeholder={t('ledger.zeroEmployment')}
            value={zero}
            onChange={setZero}
            style={{ width: 200 }}
            options={(['open', 'resolved'] as const).map((z) => ({ value: z, label: t(`ledger.zero.${z}`) }))}
          />
          <Button type="primary" onClick={() => setRegistering(!registering)}>
            {t('ledger.registerPerson')}
          </Button>
          <span data-testid="ledger-count">{t('ledger.count', { n: list.data?.count ?? 0 })}</span>
        </Space>
        <ProblemAlert error={list.error} />
        <Table<LedgerEntryView>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.entries ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('form.name'),
              dataIndex: 'name',
              render: (name: string | undefined, row) => (
                <Link to={`/ledger/${encodeURIComponent(row.id)}`}>{name ?? row.id}</Link>
              ),
            },
            { title: t('form.idNumber'), dataIndex: 'idNumber' },
            { title: t('col.status'), dataIndex: 'status', render: (_: unknown, row) => <StatusTag entry={row} /> },
            { title: t('ledger.statusSince'), dataIndex: 'statusSince' },
            {
              title: t('ledger.household'),
              dataIndex: 'householdId',
              render: (id: string) => {
                const h = households.get(id);
                return (
                  <Space>
                    {h?.label ?? id}
                    {h?.zeroEmployment && (
                      <Tag color="error">{t('ledger.zeroFamily', { since: h.zeroSince ?? '' })}</Tag>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      {registering && (
        <Card>
          <Typography.Title level={3}>{t('ledger.registerPerson')}</Typography.Title>
          <RegisterForm
            households={list.data?.households ?? []}
            onDone={(entry) => {
              void queries.invalidateQueries({ queryKey: ['ledger'] });
              // Straight to the new entry: its history, and the form for the change that usually follows.
              navigate(`/ledger/${encodeURIComponent(entry.id)}`);
            }}
          />
        </Card>
      )}
    </Space>
  );
}

function ChangeForm({ entry, onDone }: { entry: LedgerEntryView; onDone: () => void }) {
  const t = useT();
  const { language } = useLanguage();
  const { client } = useSession();
  const { message } = App.useApp();
  const [values, setValues] = useState({
    on: shanghaiToday(),
    status: 'employed' as string,
    employment: 'enterprise' as string,
    kind: 'employment-contract' as string,
    reference: '',
  });
  const [errors, setErrors] = useState<FieldMessages>({});
  const change = useMutation({
    mutationFn: (body: unknown) => client.recordLedgerChange(entry.id, body),
    onSuccess: () => {
      void message.success(t('ledger.changed'));
      onDone();
    },
    onError: (error) => setErrors(fieldErrorsOf(error, language)),
  });
  const set = (name: keyof typeof values) => (value: string) => setValues({ ...values, [name]: value });
  const submit = () => {
    const body = {
      on: values.on,
      status: values.status,
      ...(values.status === 'employed' ? { employment: values.employment } : {}),
      evidence: { kind: values.kind, ...(values.reference ? { reference: values.reference } : {}) },
      expectedVersion: entry.version,
    };
    const judged = validateWith(statusChangeSchema, body, language);
    setErrors(judged.ok ? {} : judged.errors);
    if (judged.ok) change.mutate(body);
  };
  const item = (name: string, label: MessageKey, child: React.ReactNode) => (
    <Form.Item
      label={t(label)}
      htmlFor={`change-${name}`}
      validateStatus={errors[name] ? 'error' : undefined}
      help={errors[name]}
    >
      {child}
    </Form.Item>
  );
  return (
    <Form layout="vertical" onFinish={submit} style={{ maxWidth: 560 }}>
      {item(
        'on',
        'ledger.on',
        <Input id="change-on" type="date" value={values.on} onChange={(e) => set('on')(e.target.value)} />,
      )}
      {item(
        'status',
        'col.status',
        <Select
          id="change-status"
          aria-label={t('col.status')}
          value={values.status}
          onChange={set('status')}
          options={ledgerStatuses.map((s) => ({ value: s, label: t(`ledger.status.${s}` as MessageKey) }))}
        />,
      )}
      {values.status === 'employed' &&
        item(
          'employment',
          'ledger.employment',
          <Select
            id="change-employment"
            aria-label={t('ledger.employment')}
            value={values.employment}
            onChange={set('employment')}
            options={employmentKinds.map((k) => ({ value: k, label: t(`ledger.employment.${k}` as MessageKey) }))}
          />,
        )}
      {item(
        'evidence.kind',
        'ledger.evidence',
        <Select
          id="change-evidence.kind"
          aria-label={t('ledger.evidence')}
          value={values.kind}
          onChange={set('kind')}
          options={evidenceKinds.map((k) => ({ value: k, label: t(`ledger.evidence.${k}` as MessageKey) }))}
        />,
      )}
      {item(
        'evidence.reference',
        'ledger.reference',
        <Input
          id="change-evidence.reference"
          value={values.reference}
          onChange={(e) => set('reference')(e.target.value)}
        />,
      )}
      <ProblemAlert error={change.error} />
      <Button type="primary" htmlType="submit" loading={change.isPending} style={{ marginTop: 12 }}>
        {t('ledger.recordChange')}
      </Button>
    </Form>
  );
}

export function LedgerEntryPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const entry = useQuery({ queryKey: ['ledger-entry', id], queryFn: () => client.ledgerEntry(id) });
  const data = entry.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Link to="/ledger">{t('back')}</Link>
        <Typography.Title level={2}>{data?.name ?? id}</Typography.Title>
        <ProblemAlert error={entry.error} />
        {data && (
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('form.idNumber')}>{data.idNumber}</Descriptions.Item>
            <Descriptions.Item label={t('form.phone')}>{data.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('col.status')}>
              <span data-testid="ledger-status">
                <StatusTag entry={data} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.statusSince')}>{data.statusSince}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.registeredOn')}>{data.registeredOn}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.certificateHolder')}>
              {data.certificateHolder ? t('yes') : t('no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.household')}>
              <Space>
                {data.household?.label ?? data.householdId}
                {data.household?.zeroEmployment && (
                  <Tag color="error">{t('ledger.zeroFamily', { since: data.household.zeroSince ?? '' })}</Tag>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.applications')}>
              {data.applications.length
                ? data.applications.map((a) => (
                    <Link key={a} to={`/applications/${encodeURIComponent(a)}`}>
                      {a}{' '}
                    </Link>
                  ))
                : t('none')}
            </Descriptions.Item>
            {data.previousEntryId && (
              <Descriptions.Item label={t('ledger.movedFrom')}>
                <Link to={`/ledger/${encodeURIComponent(data.previousEntryId)}`}>{data.previousEntryId}</Link>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Card>
      {data && (
        <Card>
          <Typography.Title level={3}>{t('ledger.history')}</Typography.Title>
          {data.historyIntact === false ? (
            <Alert type="error" showIcon message={t('ledger.historyBroken')} />
          ) : (
            <Alert type="success" showIcon message={t('ledger.historyIntact')} data-testid="history-intact" />
          )}
          <Timeline
            style={{ marginTop: 16 }}
            items={(data.history ?? []).map((event) => ({
              key: event.seq,
              children: (
                <Space direction="vertical" size={0}>
                  <span>
                    {event.on} · {t(event.action === 'registered' ? 'ledger.event.registered' : 'ledger.event.changed')}{' '}
                    <StatusTag entry={event} />
                    {event.householdEffect && <Tag>{t(`ledger.effect.${event.householdEffect}` as MessageKey)}</Tag>}
                  </span>
                  <Typography.Text type="secondary">
                    {event.evidence
                      ? `${t(`ledger.evidence.${event.evidence.kind}` as MessageKey)}${event.evidence.reference ? ` ${event.evidence.reference}` : ''} · `
                      : ''}
                    {event.actor.sub} · {event.at.slice(0, 16).replace('T', ' ')}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        </Card>
      )}
      {data && acting?.role === 'community-staff' && (
        <Card>
          <Typography.Title level={3}>{t('ledger.recordChange')}</Typography.Title>
          <ChangeForm
            key={data.version}
            entry={data}
            onDone={() => {
              void queries.invalidateQueries({ queryKey: ['ledger-entry', id] });
              void queries.invalidateQueries({ queryKey: ['ledger'] });
            }}
          />
        </Card>
      )}
    </Space>
  );
}
