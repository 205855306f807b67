/** Pieces several pages share: a field editor bound to schema paths, the eligibility verdict, an API refusal. */
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Alert, Descriptions, Form, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import type { ApiError, EligibilityAnswer } from './api.js';
import type { FieldSpec, FormValues } from './form-model.js';
import { yuan } from './form-model.js';
import { type MessageKey, useLanguage, useT } from './i18n/index.js';
import { localMessage, residentIdHint } from './validation.js';

export function fieldId(path: string): string {
  return `field-${path.replace(/\./g, '-')}`;
}

export function FieldsEditor(props: {
  fields: readonly FieldSpec[];
  values: FormValues;
  errors: Record<string, string>;
  onChange(path: string, value: string): void;
}) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <>
      {props.fields.map((spec) => {
        const value = props.values[spec.path] ?? '';
        const typedHint = spec.path === 'applicant.idNumber' ? residentIdHint(value, language) : undefined;
        const error = props.errors[spec.path] ?? typedHint;
        const idOk = spec.path === 'applicant.idNumber' && value.length === 18 && !error;
        const id = fieldId(spec.path);
        return (
          <Form.Item
            key={spec.path}
            label={t(spec.label)}
            htmlFor={id}
            validateStatus={error ? 'error' : idOk ? 'success' : undefined}
            help={
              error ??
              (idOk ? t('form.idNumberOk') : spec.path === 'applicant.idNumber' ? t('form.idNumberHint') : undefined)
            }
            hasFeedback={spec.path === 'applicant.idNumber' && value.length === 18}
          >
            {spec.kind === 'select' ? (
              <Select
                id={id}
                value={value || undefined}
                onChange={(next: string) => props.onChange(spec.path, next)}
                options={(spec.options ?? []).map((o) => ({ value: o.value, label: t(o.label) }))}
                style={{ maxWidth: 360 }}
              />
            ) : spec.kind === 'yuan' || spec.kind === 'int' ? (
              <InputNumber
                id={id}
                value={value === '' ? null : Number(value)}
                min={0}
                precision={spec.kind === 'int' ? 0 : 2}
                onChange={(next) => props.onChange(spec.path, next === null ? '' : String(next))}
                style={{ width: 200 }}
              />
            ) : (
              <Input
                id={id}
                value={value}
                maxLength={spec.path === 'applicant.idNumber' ? 18 : undefined}
                placeholder={spec.kind === 'date' ? '2026-02-01' : spec.kind === 'month' ? '2026-02' : undefined}
                onChange={(event) => props.onChange(spec.path, event.target.value)}
                style={{ maxWidth: 360 }}
              />
            )}
          </Form.Item>
        );
      })}
    </>
  );
}

export function EligibilityPanel({ answer, title }: { answer: EligibilityAnswer; title: string }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <section aria-label={title}>
      <Typography.Title level={4}>{title}</Typography.Title>
      <Alert
        type={answer.eligible ? 'success' : 'error'}
        message={answer.eligible ? t('form.eligible') : t('form.notEligible')}
        description={
          answer.entitlement
            ? `${t('form.entitlement')}: ${t('form.entitlementText', {
                start: answer.entitlement.start,
                months: answer.entitlement.months,
                amount: yuan(answer.entitlement.grantedFen),
              })}`
            : undefined
        }
        showIcon
      />
      <List
        dataSource={answer.eligibility}
        renderItem={(rule) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <Space>
                {rule.passed ? (
                  <CheckCircleTwoTone twoToneColor="#389e0d" />
                ) : (
                  <CloseCircleTwoTone twoToneColor="#cf1322" />
                )}
                <span>{rule.reason[language]}</span>
              </Space>
              <Space wrap size={4}>
                {Object.entries(rule.figures).map(([name, value]) => (
                  <Tag key={name}>
                    {name}: {String(value)}
                  </Tag>
                ))}
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}

/** An API refusal in the person's language; its field errors are shown by the fields themselves. */
export function ProblemAlert({ error }: { error: unknown }) {
  const t = useT();
  const { language } = useLanguage();
  if (!error) return null;
  const problem = (error as ApiError).problem;
  if (!problem) return <Alert type="error" showIcon message={t('errorTitle')} description={String(error)} />;
  const status = problem.status >= 500 ? 500 : problem.status;
  const known = ['problem.0', 'problem.400', 'problem.403', 'problem.404', 'problem.409', 'problem.422', 'problem.500'];
  const title = known.includes(`problem.${status}`) ? t(`problem.${status}` as MessageKey) : (problem.title ?? '');
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      message={title}
      description={problem.detail ? localMessage(problem.detail, language) : undefined}
    />
  );
}

/** Field errors of an API refusal (422), keyed by field path, in the person's language. */
export function fieldErrorsOf(error: unknown, language: 'zh' | 'en'): Record<string, string> {
  const errors = (error as ApiError | undefined)?.problem?.errors ?? [];
  return Object.fromEntries(errors.map((e) => [e.field, localMessage(e.message, language)]));
}

export function Figures({ entries }: { entries: [string, unknown][] }) {
  return (
    <Descriptions size="small" column={2} bordered>
      {entries.map(([name, value]) => (
        <Descriptions.Item key={name} label={name}>
          {typeof value === 'object' ? JSON.stringify(value) : String(value)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
