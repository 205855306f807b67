/** Pieces several pages share: a field editor bound to schema paths, the eligibility verdict, an API refusal. */
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Alert, AutoComplete, Form, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import { documentKindNamesZh, documentKindNameZh } from '../../functions/kernel/domain/programmes.js';
import type { ApiError, EligibilityView } from './api.js';
import type { FieldSpec, FormValues } from './form-model.js';
import { yuan } from './form-model.js';
import { catalogs, type Language, type MessageKey, type Translate, useLanguage, useT } from './i18n/index.js';
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

export function EligibilityPanel({ answer, title }: { answer: EligibilityView; title: string }) {
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
                    {figureLabel(name, t)}: {figureValue(name, value, t, language)}
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

/** A rule's figure by the name a clerk reads; one the catalogs do not know yet, by its own. */
function figureLabel(name: string, t: Translate): string {
  const key = `figure.${name}`;
  return key in catalogs.zh ? t(key as MessageKey) : name;
}

/** Amounts in yuan, kinds by their names: a figure as the rule's reason would say it. */
function figureValue(name: string, value: unknown, t: Translate, language: Language): string {
  const text = String(value);
  if (typeof value === 'number' && name.endsWith('Fen')) return `${yuan(value)} ${language === 'zh' ? '元' : 'yuan'}`;
  const listOf = (named: (code: string) => string) =>
    text
      .split(',')
      .filter(Boolean)
      .map(named)
      .join(language === 'zh' ? '、' : ', ') || t('none');
  const known = (prefix: string) => (code: string) =>
    `${prefix}${code}` in catalogs.zh ? t(`${prefix}${code}` as MessageKey) : code;
  if (name === 'proofKind' || name === 'accepted') return listOf(known('proof.'));
  if (name === 'required' || name === 'missing') return listOf((kind) => documentKindLabel(kind, language));
  if (name === 'businessType') return known('business.')(text);
  if (name === 'sex') return known('sex.')(text);
  return text;
}

/** A document kind as a clerk calls it (its code in English, where the codes are words already). */
export function documentKindLabel(kind: string, language: Language): string {
  return language === 'zh' ? documentKindNameZh(kind) : kind;
}

/** The kind of an attached document: the known kinds offered by name, any other typed as the city's policy names it. */
export function DocumentKindInput(props: {
  label: string;
  value: string;
  onChange: (kind: string) => void;
  status?: 'error';
}) {
  return (
    // The label on the input itself: on the AutoComplete it would also name its list of options.
    <AutoComplete
      value={props.value}
      onChange={props.onChange}
      style={{ minWidth: 220 }}
      options={Object.entries(documentKindNamesZh).map(([kind, name]) => ({
        value: kind,
        label: `${name}（${kind}）`,
      }))}
    >
      <Input aria-label={props.label} placeholder="labour-contract" status={props.status} />
    </AutoComplete>
  );
}

/** An API refusal in the person's language; its field errors are shown by the fields themselves. */
export function ProblemAlert({ error }: { error: unknown }) {
  const t = useT();
  const { language } = useLanguage();
  if (!error) return null;
  const problem = (error as ApiError).problem;
  if (!problem) return <Alert type="error" showIcon message={t('errorTitle')} description={String(error)} />;
  const status = problem.status >= 500 && problem.status !== 503 ? 500 : problem.status;
  const known = [
    'problem.0',
    'problem.400',
    'problem.403',
    'problem.404',
    'problem.409',
    'problem.422',
    'problem.500',
    'problem.503',
  ];
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

/** A year picked by typing it (the scorecard's and the evaluation's period). */
export function YearInput(props: { label: string; value: string; onChange: (year: string) => void }) {
  return (
    <Input
      aria-label={props.label}
      type="number"
      min={2000}
      max={2100}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      style={{ width: 120 }}
    />
  );
}
