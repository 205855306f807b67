/**
 * Community staff resubmit a returned application: the details edited from what was sent, more
 * documents, a comment; the draft is kept across a new sign-in, and the return's comment is shown.
 */
import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Space, Typography } from 'antd';
import type { ApplicationView } from '../../api.js';
import { bodyOf, type DocumentRow, detailFields, type FormValues, valuesOfDetails } from '../../form-model.js';
import { useLanguage, useT } from '../../i18n/index.js';
import { useDraft, useSession } from '../../session.js';
import { DocumentKindInput, FieldsEditor, fieldErrorsOf, ProblemAlert } from '../../widgets.js';

export function ResubmitDialog(props: {
  application: ApplicationView;
  onClose(): void;
  onDone(): void;
  onRefused(error: unknown): void;
}) {
  const t = useT();
  const { language } = useLanguage();
  const { client } = useSession();
  const a = props.application;
  const fields = detailFields[a.programme];
  const [draft, setDraft, dropDraft] = useDraft<{ values: FormValues; documents: DocumentRow[]; comment: string }>(
    `resubmit-${a.id}`,
    { values: valuesOfDetails(a.programme, a.details), documents: [], comment: '' },
  );
  const lastReturn = [...(a.history ?? [])].reverse().find((e) => e.action === 'returned');
  const resubmit = useMutation({
    mutationFn: () =>
      client.resubmit(a.id, {
        expectedVersion: a.version,
        details: (bodyOf(fields, draft.values).details ?? {}) as Record<string, unknown>,
        ...(draft.documents.length ? { addDocuments: draft.documents.filter((d) => d.kind && d.ref) } : {}),
        ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
      }),
    onSuccess: () => {
      dropDraft();
      props.onDone();
    },
    onError: props.onRefused,
  });
  const errors = fieldErrorsOf(resubmit.error, language);
  const doc = draft.documents[0] ?? { kind: '', ref: '' };
  return (
    <Modal
      open
      width={720}
      title={t('app.resubmit')}
      okText={t('app.resubmit')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: resubmit.isPending }}
      onOk={() => resubmit.mutate()}
      onCancel={props.onClose}
    >
      {lastReturn?.comment && (
        <Typography.Paragraph>
          {t('app.returnComment')}: “{lastReturn.comment}”
        </Typography.Paragraph>
      )}
      <Form layout="vertical">
        <FieldsEditor
          fields={fields}
          values={draft.values}
          errors={errors}
          onChange={(path, value) => setDraft({ ...draft, values: { ...draft.values, [path]: value } })}
        />
        <Form.Item label={t('form.addDocument')}>
          <Space>
            <DocumentKindInput
              label={t('form.documentKind')}
              value={doc.kind}
              onChange={(kind) => setDraft({ ...draft, documents: [{ ...doc, kind }] })}
            />
            <Input
              aria-label={t('form.documentRef')}
              placeholder="doc-0010"
              value={doc.ref}
              onChange={(e) => setDraft({ ...draft, documents: [{ ...doc, ref: e.target.value }] })}
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('app.comment')} htmlFor="resubmit-comment">
          <Input.TextArea
            id="resubmit-comment"
            rows={2}
            value={draft.comment}
            onChange={(e) => setDraft({ ...draft, comment: e.target.value })}
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={resubmit.error} />
    </Modal>
  );
}
