/**
 * Community staff take in an application: one form per programme, judged by the API's own schema
 * as it is filled in, an eligibility preview (the dry run, nothing recorded), then 提交申请.
 * The draft is kept in the tab, so a sign-in that expired mid-form loses nothing.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ProgrammeId } from '../../../functions/kernel/domain/programmes.js';
import type { ApiError, EligibilityCheck } from '../api.js';
import {
  applicantFields,
  type DocumentRow,
  detailFields,
  type FormValues,
  programmes,
  submissionBody,
} from '../form-model.js';
import { type MessageKey, useLanguage, useT } from '../i18n/index.js';
import { useDraft, useSession } from '../session.js';
import { useUnitNames } from '../unit-names.js';
import { validateSubmission } from '../validation.js';
import { refusedByVerification, verificationFieldErrors } from '../verification-model.js';
import { RefusedByVerification, sourceName, VerificationList } from '../verification-widgets.js';
import { DocumentKindInput, EligibilityPanel, FieldsEditor, fieldErrorsOf, ProblemAlert } from '../widgets.js';

interface Draft {
  programme: ProgrammeId;
  values: FormValues;
  documents: DocumentRow[];
  idempotencyKey: string;
}

const emptyDraft = (): Draft => ({
  programme: 'post-subsidy',
  values: {},
  documents: [{ kind: '', ref: '' }],
  idempotencyKey: crypto.randomUUID(),
});

export default function NewApplication() {
  const unitName = useUnitNames();
  const t = useT();
  const { language } = useLanguage();
  const { client, acting } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [draft, setDraft, dropDraft] = useDraft<Draft>('new-application', emptyDraft());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<EligibilityCheck>();
  const communityId = acting?.unit ?? '';
  const body = () => submissionBody(draft.programme, communityId, draft.values, draft.documents);
  const formPaths = [...applicantFields, ...detailFields[draft.programme]].map((f) => f.path);
  // A refusal by the checks names the fields they judged: marked with what the records say.
  const refusalErrors = (error: unknown) =>
    setErrors({
      ...fieldErrorsOf(error, language),
      ...verificationFieldErrors((error as ApiError).problem, language, formPaths, sourceName(t)),
    });

  function checked(): boolean {
    const result = validateSubmission(body(), language);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) void message.error(t('form.fixErrors'));
    return result.ok;
  }

  const check = useMutation({
    mutationFn: () => client.checkEligibility(body()),
    onSuccess: (answer) => setPreview(answer),
    onError: refusalErrors,
  });
  const queryClient = useQueryClient();
  const submit = useMutation({
    mutationFn: () => client.submit(body(), draft.idempotencyKey),
    onSuccess: (application) => {
      void queryClient.invalidateQueries({ queryKey: ['applications'] });
      dropDraft();
      void message.success(t('form.submitted'));
      navigate(`/applications/${encodeURIComponent(application.id)}`);
    },
    onError: refusalErrors,
  });
  const refusal = submit.error ?? check.error;
  const refusedByChecks = refusedByVerification((refusal as ApiError | null)?.problem) !== undefined;

  const change = (path: string, value: string) => {
    setDraft({ ...draft, values: { ...draft.values, [path]: value } });
    setPreview(undefined);
    if (errors[path]) setErrors({ ...errors, [path]: undefined as unknown as string });
  };
  const setDocument = (index: number, row: DocumentRow) =>
    setDraft({ ...draft, documents: draft.documents.map((d, i) => (i === index ? row : d)) });
  const cleanErrors = Object.fromEntries(Object.entries(errors).filter(([, v]) => v));

  return (
    <Form layout="vertical" onSubmitCapture={(event) => event.preventDefault()}>
      <Typography.Title level={2}>{t('form.title')}</Typography.Title>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Card>
            <Form.Item label={t('form.programme')} htmlFor="field-programme">
              <Select
                id="field-programme"
                value={draft.programme}
                onChange={(programme: ProgrammeId) => {
                  setDraft({ ...draft, programme });
                  setPreview(undefined);
                }}
                options={programmes.map((p) => ({ value: p, label: t(`programme.${p}` as MessageKey) }))}
                style={{ maxWidth: 360 }}
              />
            </Form.Item>
            <Form.Item label={t('form.community')}>
              <span>{unitName(communityId)}</span>
            </Form.Item>
            <Typography.Title level={4}>{t('form.applicant')}</Typography.Title>
            <FieldsEditor fields={applicantFields} values={draft.values} errors={cleanErrors} onChange={change} />
            <Typography.Title level={4}>{t(`programme.${draft.programme}` as MessageKey)}</Typography.Title>
            <FieldsEditor
              fields={detailFields[draft.programme]}
              values={draft.values}
              errors={cleanErrors}
              onChange={change}
            />
            <Typography.Title level={4}>{t('form.documents')}</Typography.Title>
            {draft.documents.map((doc, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own but their place
              <Space key={index} style={{ marginBottom: 8 }}>
                <DocumentKindInput
                  label={`${t('form.documentKind')} ${index + 1}`}
                  value={doc.kind}
                  onChange={(kind) => setDocument(index, { ...doc, kind })}
                  {...(cleanErrors[`documents.${index}.kind`] ? { status: 'error' as const } : {})}
                />
                <Input
                  aria-label={`${t('form.documentRef')} ${index + 1}`}
                  placeholder="doc-0001"
                  value={doc.ref}
                  onChange={(e) => setDocument(index, { ...doc, ref: e.target.value })}
                  status={cleanErrors[`documents.${index}.ref`] ? 'error' : undefined}
                />
              </Space>
            ))}
            <div>
              <Button onClick={() => setDraft({ ...draft, documents: [...draft.documents, { kind: '', ref: '' }] })}>
                {t('form.addDocument')}
              </Button>
            </div>
            {!refusedByChecks && <ProblemAlert error={refusal} />}
            <Space style={{ marginTop: 24 }}>
              <Button loading={check.isPending} onClick={() => checked() && check.mutate()}>
                {t('form.preview')}
              </Button>
              <Button
                type="primary"
                htmlType="submit"
                loading={submit.isPending}
                onClick={() => checked() && submit.mutate()}
              >
                {t('form.submit')}
              </Button>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          {preview && (
            <Card>
              <EligibilityPanel answer={preview} title={t('form.previewTitle')} />
              <VerificationList results={preview.verification ?? []} title={t('check.previewTitle')} />
            </Card>
          )}
          {refusedByChecks && (
            <Card>
              <RefusedByVerification error={refusal} />
            </Card>
          )}
        </Col>
      </Row>
    </Form>
  );
}
