/**
 * An approver's decision on the open stage: approve, reject with a reason from the list of the
 * policy the application was submitted under (some need a comment), or return with a comment.
 */
import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import type { ApplicationView, DecisionKind } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { fieldErrorsOf, ProblemAlert } from '../../widgets.js';

export function DecisionDialog(props: {
  application: ApplicationView;
  decision: DecisionKind;
  /** The reason the rejection starts with (after a confirmed suspicion, the one it must give). */
  initialReason?: string;
  onClose(): void;
  onDone(view: ApplicationView): void;
  onRefused(error: unknown): void;
}) {
  const t = useT();
  const { language } = useLanguage();
  const { client } = useSession();
  const a = props.application;
  const [reason, setReason] = useState<string | undefined>(props.initialReason);
  const [comment, setComment] = useState('');
  const reasons = a.rejectionReasons ?? [];
  const needsComment = props.decision === 'return' || reasons.find((r) => r.code === reason)?.needsComment === true;
  const decide = useMutation({
    mutationFn: () =>
      client.decide(a.id, {
        decision: props.decision,
        expectedVersion: a.version,
        ...(props.decision === 'reject' ? { reason } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSuccess: props.onDone,
    onError: props.onRefused,
  });
  const errors = fieldErrorsOf(decide.error, language);
  const label = t(`app.${props.decision}` as MessageKey);
  return (
    <Modal
      open
      title={label}
      okText={label}
      cancelText={t('cancel')}
      okButtonProps={{
        danger: props.decision === 'reject',
        disabled: (props.decision === 'reject' && !reason) || (needsComment && !comment.trim()),
        loading: decide.isPending,
      }}
      onOk={() => decide.mutate()}
      onCancel={props.onClose}
    >
      <Form layout="vertical">
        {props.decision === 'reject' && (
          <Form.Item
            label={t('app.reason')}
            htmlFor="decision-reason"
            validateStatus={errors.reason ? 'error' : undefined}
            help={errors.reason}
          >
            <Select
              id="decision-reason"
              autoFocus
              value={reason}
              onChange={setReason}
              options={reasons.map((r) => ({ value: r.code, label: language === 'zh' ? r.zh : r.en }))}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('app.comment')}
          htmlFor="decision-comment"
          validateStatus={errors.comment ? 'error' : undefined}
          help={errors.comment ?? (needsComment && !comment.trim() ? t('app.commentNeeded') : undefined)}
        >
          <Input.TextArea
            id="decision-comment"
            autoFocus={props.decision !== 'reject'}
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={decide.error} />
    </Modal>
  );
}
