/** Recording a change of a person's status, on a date, with the evidence it rests on, at the version the page shows. */
import { useMutation } from '@tanstack/react-query';
import { App, Button, Form, Input, Select } from 'antd';
import { useState } from 'react';
import {
  employmentKinds,
  ledgerStatuses,
  statusChangeSchema,
} from '../../../../functions/employment/domain/employment-ledger.js';
import { shanghaiDate } from '../../../../functions/kernel/domain/dates.js';
import type { LedgerEntryView } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type FieldMessages, validateWith } from '../../validation.js';
import { fieldErrorsOf, ProblemAlert } from '../../widgets.js';

// What staff record a change on (the API takes any kind; a subsidy's application and approval are the feed's own).
const evidenceKinds = [
  'unemployment-registration',
  'employment-contract',
  'flexible-employment-registration',
  'business-licence',
  'statement',
] as const;

export function ChangeForm({ entry, onDone }: { entry: LedgerEntryView; onDone: () => void }) {
  const t = useT();
  const { language } = useLanguage();
  const { client } = useSession();
  const { message } = App.useApp();
  const [values, setValues] = useState({
    on: shanghaiDate(new Date()),
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
