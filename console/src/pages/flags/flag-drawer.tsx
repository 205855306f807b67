/**
 * One suspicion (疑点): the application it holds, what the records said, its disposition once
 * recorded, and for an auditor while it is open the disposition form — 排除疑点 (with the evidence
 * that clears it) or 确认不符 — sent with the version read, so a suspicion someone else disposed of
 * first (409) is reloaded rather than overwritten, and one the person may not dispose of (403) says
 * why.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Radio, Select, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { evidenceKinds } from '../../../../functions/verification/domain/suspicions.js';
import { ApiError, type SuspicionView } from '../../api.js';
import { type MessageKey, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useUnitNames } from '../../unit-names.js';
import { type DispositionForm, dispositionBody, isAuditor, suspicionColor } from '../../verification-model.js';
import { VerificationList } from '../../verification-widgets.js';
import { ProblemAlert } from '../../widgets.js';

export function FlagDrawer(props: { id: string; onClose(): void }) {
  const t = useT();
  const { client } = useSession();
  const unitName = useUnitNames();
  const flag = useQuery({ queryKey: ['flag', props.id], queryFn: () => client.flag(props.id) });
  const s = flag.data;
  return (
    <Drawer open width={640} title={t('flags.detail')} onClose={props.onClose}>
      {flag.isLoading && <Spin />}
      <ProblemAlert error={flag.error} />
      {s && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('flags.status')}>
              <Tag color={suspicionColor[s.status]} data-testid="flag-status">
                {t(`suspicion.${s.status}` as MessageKey)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('flags.application')}>
              <Link to={`/applications/${encodeURIComponent(s.applicationId)}`}>{s.applicationId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('col.programme')}>
              {t(`programme.${s.programme}` as MessageKey)}
            </Descriptions.Item>
            <Descriptions.Item label={t('col.community')}>
              {unitName(s.communityId ?? s.unitPath?.at(-1))}
            </Descriptions.Item>
            <Descriptions.Item label={t('flags.raisedAt')}>
              {s.raisedAt.slice(0, 16).replace('T', ' ')}
            </Descriptions.Item>
          </Descriptions>
          <VerificationList
            results={s.mismatches.map((m) => ({ outcome: 'mismatch' as const, ...m }))}
            title={t('flags.mismatches')}
          />
          {s.disposition && <DispositionShown suspicion={s} />}
          {s.status === 'open' && <DispositionEditor suspicion={s} />}
        </Space>
      )}
    </Drawer>
  );
}

function DispositionShown({ suspicion }: { suspicion: SuspicionView }) {
  const t = useT();
  const d = suspicion.disposition;
  if (!d) return null;
  return (
    <Descriptions title={t('flags.disposition')} column={1} size="small" bordered>
      <Descriptions.Item label={t('flags.outcome')}>{t(`flags.${d.outcome}` as MessageKey)}</Descriptions.Item>
      {d.evidence && (
        <Descriptions.Item label={t('flags.evidenceKind')}>
          {t(`evidence.${d.evidence.kind}` as MessageKey)} · {d.evidence.reference}
        </Descriptions.Item>
      )}
      {d.comment && <Descriptions.Item label={t('flags.comment')}>{d.comment}</Descriptions.Item>}
      <Descriptions.Item label={t('flags.by')}>
        {d.by.sub} · {t(`role.${d.by.role}` as MessageKey)}
      </Descriptions.Item>
      <Descriptions.Item label={t('flags.at')}>{d.at.slice(0, 16).replace('T', ' ')}</Descriptions.Item>
    </Descriptions>
  );
}

function DispositionEditor({ suspicion }: { suspicion: SuspicionView }) {
  const t = useT();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [form, setForm] = useState<DispositionForm>({ reference: '', comment: '' });
  const body = dispositionBody(form, suspicion.version);
  const dispose = useMutation({
    mutationFn: () => client.disposeFlag(suspicion.id, body as NonNullable<typeof body>),
    onSuccess: (updated) => {
      // The answer carries the outcome, not the mismatches: the suspicion is read again, whole.
      void queries.invalidateQueries({ queryKey: ['flag', suspicion.id] });
      void queries.invalidateQueries({ queryKey: ['flags'] });
      void message.success(t('flags.done', { outcome: t(`suspicion.${updated.status}` as MessageKey) }));
    },
    onError: (error) => {
      // Someone disposed of it first, or it changed: read it again, so what is shown is what stands.
      if (error instanceof ApiError && error.status === 409)
        void queries.invalidateQueries({ queryKey: ['flag', suspicion.id] });
    },
  });
  if (!isAuditor(acting?.role)) return <Alert type="info" showIcon message={t('flags.readOnly')} />;
  const error = dispose.error instanceof ApiError ? dispose.error : undefined;
  const evidenceMissing = form.outcome === 'cleared' && !body;
  return (
    <Form layout="vertical" onSubmitCapture={(event) => event.preventDefault()} aria-label={t('flags.dispose')}>
      <Form.Item label={t('flags.outcome')}>
        <Radio.Group
          aria-label={t('flags.outcome')}
          value={form.outcome}
          onChange={(e) => setForm({ ...form, outcome: e.target.value })}
          options={[
            { value: 'cleared', label: t('flags.cleared') },
            { value: 'confirmed', label: t('flags.confirmed') },
          ]}
        />
      </Form.Item>
      <Form.Item
        label={t('flags.evidenceKind')}
        htmlFor="flag-evidence-kind"
        validateStatus={evidenceMissing ? 'warning' : undefined}
        help={evidenceMissing ? t('flags.evidenceNeeded') : undefined}
      >
        <Select
          id="flag-evidence-kind"
          allowClear
          value={form.evidenceKind}
          onChange={(evidenceKind) => setForm({ ...form, evidenceKind })}
          options={evidenceKinds.map((kind) => ({ value: kind, label: t(`evidence.${kind}` as MessageKey) }))}
          style={{ maxWidth: 280 }}
        />
      </Form.Item>
      <Form.Item label={t('flags.evidenceReference')} htmlFor="flag-evidence-reference">
        <Input
          id="flag-evidence-reference"
          maxLength={200}
          value={form.reference}
          onChange={(e) => setForm({ ...form, reference: e.target.value })}
        />
      </Form.Item>
      <Form.Item label={t('flags.comment')} htmlFor="flag-comment">
        <Input.TextArea
          id="flag-comment"
          rows={3}
          maxLength={500}
          value={form.comment}
          onChange={(e) => setForm({ ...form, comment: e.target.value })}
        />
      </Form.Item>
      {error?.status === 403 && (
        <Alert role="alert" type="error" showIcon message={t('flags.forbidden')} description={error.problem.detail} />
      )}
      {error?.status === 409 && (
        <Alert role="alert" type="warning" showIcon message={t('flags.stale')} description={error.problem.detail} />
      )}
      {dispose.error && error?.status !== 403 && error?.status !== 409 && <ProblemAlert error={dispose.error} />}
      <Button
        type="primary"
        htmlType="submit"
        danger={form.outcome === 'confirmed'}
        disabled={!body}
        loading={dispose.isPending}
        onClick={() => dispose.mutate()}
        style={{ marginTop: 16 }}
      >
        {t('flags.submit')}
      </Button>
    </Form>
  );
}
