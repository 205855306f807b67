/**
 * One application as the acting role may see it: applicant, details, eligibility with figures,
 * documents, the history as a timeline marked with whether it verifies; and what this person may
 * do now — the decisions `availableDecisions` allows (for the stage's approver), or, for community
 * staff, resubmit after a return and withdraw. A decision someone else took first (409) is said
 * so and the page reloads.
 */

import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Modal,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { approvalStages, approverRoleOf } from '../../../../functions/kernel/domain/actor.js';
import { isFinal } from '../../../../functions/kernel/domain/application-events.js';
import { ApiError, type DecisionKind } from '../../api.js';
import { applicantFields, detailFields, yuan } from '../../form-model.js';
import { type MessageKey, type Translate, useLanguage, useT } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useUnitNames } from '../../unit-names.js';
import { approvalHold, isHeldByVerification, presetRejectionReason } from '../../verification-model.js';
import { documentKindLabel, EligibilityPanel, ProblemAlert } from '../../widgets.js';
import { DecisionDialog } from './decision-dialog.js';
import { ResubmitDialog } from './resubmit-dialog.js';
import { ApproveHoldNote, VerificationBanners, VerificationCard } from './verification-card.js';

/** A proof of status as a clerk names it: its kind (再就业优惠证…) and number. */
const proofText = (proof: { kind: string; number?: string }, t: Translate) =>
  [t(`proof.${proof.kind}` as MessageKey), proof.number].filter(Boolean).join(' · ');

export default function ApplicationPage() {
  const t = useT();
  const { language } = useLanguage();
  const unitName = useUnitNames();
  const { id = '' } = useParams();
  const { client, acting } = useSession();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const application = useQuery({ queryKey: ['application', id], queryFn: () => client.application(id) });
  const [dialog, setDialog] = useState<DecisionKind | 'resubmit' | 'withdraw'>();
  // A 409 of the verification (a suspicion, a check waiting on data): its detail stays on the page.
  const [held, setHeld] = useState<ApiError>();

  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ['application', id] }),
      queries.invalidateQueries({ queryKey: ['inbox'] }),
    ]);
  const onRefused = (error: unknown) => {
    if (error instanceof ApiError && isHeldByVerification(error.problem, application.data?.version ?? -1)) {
      setDialog(undefined);
      setHeld(error);
      void refresh();
    } else if (error instanceof ApiError && error.status === 409) {
      setDialog(undefined);
      void message.warning(t('app.takenByOther'));
      void refresh();
    }
  };

  if (application.isLoading)
    return (
      <Spin tip={t('loading')}>
        <div style={{ height: 200 }} />
      </Spin>
    );
  if (application.error || !application.data)
    return (
      <Result
        status="warning"
        title={<ProblemAlert error={application.error} />}
        extra={<Link to="/">{t('back')}</Link>}
      />
    );
  const a = application.data;
  const labelOf = (path: string, fallback: string) => {
    const spec = applicantFields.find((f) => f.path === path || f.path === `${path}.kind`);
    return spec ? t(spec.path === path ? spec.label : 'form.proofKind') : fallback;
  };
  const stage = approvalStages.find((level) => level === a.stage);
  const mayDecide = a.status === 'in_review' && stage !== undefined && acting?.role === approverRoleOf[stage];
  const isStaff = acting?.role === 'community-staff';

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {t('app.title')} · {String(a.applicant.name ?? '')}
          </Typography.Title>
          <Space wrap>
            <Tag color="processing" data-testid="status">
              {t(`status.${a.status}` as MessageKey)}
              {a.stage ? ` · ${t(`stage.${a.stage}` as MessageKey)}` : ''}
            </Tag>
            {a.overdue && <Tag color="error">{t('mark.overdue')}</Tag>}
            {a.escalatedTo && <Tag color="processing">{t('mark.escalated')}</Tag>}
            <span>
              {t('app.version')} {a.version}
            </span>
            {acting?.role !== 'community-staff' &&
              acting?.role !== 'city-monitor' &&
              acting?.role !== 'city-admin' &&
              acting?.role !== 'auditor' && <Link to="/inbox">{t('app.backToInbox')}</Link>}
          </Space>
        </Space>
        <Space wrap style={{ marginTop: 16 }}>
          {mayDecide &&
            a.availableDecisions.map((decision) => (
              <Button
                key={decision}
                type={decision === 'approve' ? 'primary' : 'default'}
                danger={decision === 'reject'}
                disabled={decision === 'approve' && approvalHold(a) !== undefined}
                onClick={() => {
                  setHeld(undefined);
                  setDialog(decision);
                }}
              >
                {t(`app.${decision}` as MessageKey)}
              </Button>
            ))}
          {mayDecide && <ApproveHoldNote application={a} />}
          {isStaff && a.status === 'returned' && (
            <Button type="primary" onClick={() => setDialog('resubmit')}>
              {t('app.resubmit')}
            </Button>
          )}
          {isStaff && !isFinal(a.status) && (
            <Button danger onClick={() => setDialog('withdraw')}>
              {t('app.withdraw')}
            </Button>
          )}
          {isStaff && <Link to={`/applications/${encodeURIComponent(a.id)}/webhooks`}>{t('app.webhooks')}</Link>}
        </Space>
        {held && (
          <div style={{ marginTop: 16 }}>
            <Alert
              role="alert"
              type="error"
              showIcon
              message={t('check.heldByServer')}
              description={held.problem.detail}
              data-testid="held-by-verification"
            />
          </div>
        )}
      </Card>
      <VerificationBanners application={a} />
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Card title={t('app.applicant')}>
              <Descriptions column={2} size="small">
                <Descriptions.Item label={t('col.programme')}>
                  {t(`programme.${a.programme}` as MessageKey)}
                </Descriptions.Item>
                <Descriptions.Item label={t('col.community')}>{unitName(a.communityId)}</Descriptions.Item>
                {Object.entries(a.applicant).map(([name, value]) => (
                  <Descriptions.Item key={name} label={labelOf(`applicant.${name}`, name)}>
                    {name === 'proof'
                      ? proofText(value as { kind: string; number?: string }, t)
                      : typeof value === 'object'
                        ? Object.values(value as object).join(' · ')
                        : String(value)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
            <Card title={t('app.details')}>
              <Descriptions column={1} size="small" bordered>
                {flatten(a.details).map(([name, value]) => {
                  const spec = detailFields[a.programme].find((f) => f.path === `details.${name}`);
                  return (
                    <Descriptions.Item key={name} label={spec ? t(spec.label) : name}>
                      {spec?.kind === 'yuan' ? `${yuan(Number(value))} ${t('unit.yuan')}` : value}
                    </Descriptions.Item>
                  );
                })}
              </Descriptions>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('app.documents')}
              </Typography.Title>
              <Space wrap>
                {a.documents.map((d) => (
                  <Tag key={d.ref}>
                    {documentKindLabel(d.kind, language)} · {d.ref}
                  </Tag>
                ))}
              </Space>
            </Card>
            <Card>
              <EligibilityPanel answer={a} title={t('app.eligibility')} />
            </Card>
            <VerificationCard application={a} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('app.history')}>
            <Tag color={a.historyIntact ? 'success' : 'error'} style={{ marginBottom: 16 }}>
              {a.historyIntact ? t('app.historyIntact') : t('app.historyBroken')}
            </Tag>
            <Timeline
              items={(a.history ?? []).map((event) => ({
                color:
                  event.action === 'returned' || event.action === 'rejected'
                    ? 'red'
                    : event.action === 'approved'
                      ? 'green'
                      : 'blue',
                children: (
                  <div>
                    <strong>{t(`action.${event.action}` as MessageKey)}</strong>
                    {event.stage ? ` · ${t(`stage.${event.stage}` as MessageKey)}` : ''}
                    <div>
                      {event.at.slice(0, 16).replace('T', ' ')} · {event.actor.sub}
                    </div>
                    {event.reason && <div>{event.reason}</div>}
                    {event.comment && <div>“{event.comment}”</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      {(dialog === 'approve' || dialog === 'reject' || dialog === 'return') && (
        <DecisionDialog
          application={a}
          decision={dialog}
          initialReason={presetRejectionReason(a)}
          onClose={() => setDialog(undefined)}
          onDone={(view) => {
            setDialog(undefined);
            queries.setQueryData(['application', id], view);
            void message.success(t('app.decidedOk', { status: t(`status.${view.status}` as MessageKey) }));
            void refresh();
          }}
          onRefused={onRefused}
        />
      )}
      {dialog === 'resubmit' && (
        <ResubmitDialog
          application={a}
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setDialog(undefined);
            void refresh();
          }}
          onRefused={onRefused}
        />
      )}
      <Modal
        open={dialog === 'withdraw'}
        title={t('app.withdrawConfirm')}
        okText={t('app.withdraw')}
        okButtonProps={{ danger: true }}
        cancelText={t('cancel')}
        onCancel={() => setDialog(undefined)}
        onOk={() =>
          client
            .withdraw(a.id, { expectedVersion: a.version })
            .then(() => {
              setDialog(undefined);
              void refresh();
            })
            .catch((error: unknown) => {
              onRefused(error);
              void message.error(error instanceof ApiError ? error.message : String(error));
            })
        }
      />
    </Space>
  );
}

function flatten(value: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(value).flatMap(([name, inner]) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? flatten(inner as Record<string, unknown>, `${prefix}${name}.`)
      : [[`${prefix}${name}`, String(inner)] as [string, string]],
  );
}
