/**
 * Registering a person in the community's ledger, judged in the browser by the API's own schema
 * (the resident ID's check digit as it is typed); a person the city's ledger holds already is
 * said so, with the way to their entry.
 */
import { useMutation } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { registrationSchema } from '../../../../functions/employment/domain/employment-ledger.js';
import { shanghaiDate } from '../../../../functions/kernel/domain/dates.js';
import { ApiError, type HouseholdView, type LedgerEntryView } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type FieldMessages, residentIdHint, validateWith } from '../../validation.js';
import { fieldErrorsOf, ProblemAlert } from '../../widgets.js';

export function RegisterForm({
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
    registeredOn: shanghaiDate(new Date()),
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
