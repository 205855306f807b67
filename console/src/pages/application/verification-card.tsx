/**
 * What an application's page shows of its checks against other offices' records: a banner when it
 * waits on data or a suspicion (疑点) holds it, with a link to the suspicion; why the approve
 * button is disabled; and the 「信息核查」 card with every check. The server still decides: these
 * only read the view.
 */
import { Alert, Card, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { VerifiedApplicationView } from '../../api.js';
import { type MessageKey, useLanguage, useT } from '../../i18n/index.js';
import { type ApprovalHold, approvalHold } from '../../verification-model.js';
import { sourceName, VerificationList } from '../../verification-widgets.js';

const holdKey: Record<ApprovalHold['kind'], MessageKey> = {
  waiting: 'check.holdWaiting',
  'suspicion-open': 'check.holdOpen',
  'suspicion-confirmed': 'check.holdConfirmed',
};

/** Why approving is not offered now (beside the disabled button), or nothing. */
export function ApproveHoldNote({ application }: { application: VerifiedApplicationView }) {
  const t = useT();
  const hold = approvalHold(application);
  if (!hold) return null;
  return (
    <Typography.Text type="warning" data-testid="approve-hold">
      {t(holdKey[hold.kind])}
    </Typography.Text>
  );
}

export function VerificationBanners({ application }: { application: VerifiedApplicationView }) {
  const t = useT();
  const { language } = useLanguage();
  const suspicion = application.verification?.suspicion;
  const hold = approvalHold(application);
  const link = suspicion && (
    <Link to={`/flags/${encodeURIComponent(suspicion.id)}`} data-testid="suspicion-link">
      {t('check.openSuspicion')}
    </Link>
  );
  return (
    <>
      {hold?.kind === 'waiting' && (
        <Alert
          type="warning"
          showIcon
          data-testid="waiting-on-data"
          message={t('check.waiting', {
            sources:
              hold.sources.map(sourceName(t)).join(language === 'zh' ? '、' : ', ') || t('check.pendingReason.other'),
          })}
        />
      )}
      {suspicion && suspicion.status !== 'cleared' && (
        <Alert
          type={suspicion.status === 'confirmed' ? 'error' : 'warning'}
          showIcon
          data-testid="suspicion-banner"
          message={`${t(`suspicion.${suspicion.status}` as MessageKey)} · ${t(
            suspicion.status === 'confirmed' ? 'check.suspicionConfirmed' : 'check.suspicionOpen',
          )}`}
          action={link}
        />
      )}
      {suspicion?.status === 'cleared' && (
        <Alert type="success" showIcon message={t('check.suspicionCleared')} action={link} />
      )}
    </>
  );
}

/** The 「信息核查」 card: every check with its office, as-of date, result and figures. */
export function VerificationCard({ application }: { application: VerifiedApplicationView }) {
  const t = useT();
  const verification = application.verification;
  if (!verification) return null;
  return (
    <Card>
      <VerificationList results={verification.results} title={t('check.title')} checkedAt={verification.checkedAt} />
    </Card>
  );
}
