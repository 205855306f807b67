/**
 * The checks against other offices' records as a clerk reads them, on an application, beside the
 * dry run's rules and in a refusal: each check's office, the day its data was current, the result
 * (通过 / 不符 / 待数据) and the figures it judged; a mismatch says whether it refuses or is a 疑点.
 */
import { Alert, List, Space, Tag, Typography } from 'antd';
import type { SourceName } from '../../functions/kernel/domain/verification-results.js';
import { ApiError, type ShownCheck } from './api.js';
import { type MessageKey, type Translate, useLanguage, useT } from './i18n/index.js';
import {
  checkName,
  checkSentence,
  outcomeColor,
  outcomeOf,
  refusedByVerification,
  refusingChecks,
} from './verification-model.js';

export const sourceName = (t: Translate) => (source: SourceName) => t(`source.${source}` as MessageKey);

export function VerificationList(props: { results: readonly ShownCheck[]; title: string; checkedAt?: string }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <section aria-label={props.title}>
      <Typography.Title level={4}>{props.title}</Typography.Title>
      {props.checkedAt && (
        <Typography.Paragraph type="secondary">
          {t('check.checkedAt')}: {props.checkedAt.slice(0, 16).replace('T', ' ')}
        </Typography.Paragraph>
      )}
      <List
        dataSource={[...props.results]}
        locale={{ emptyText: t('check.none') }}
        renderItem={(check) => {
          const outcome = outcomeOf(check);
          return (
            <List.Item data-testid={`check-${check.check}`}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color={outcomeColor[outcome]}>{t(`check.${outcome}` as MessageKey)}</Tag>
                  {/* A check is named for what it looks for: passed means it was not found. */}
                  <strong>
                    {outcome === 'passed'
                      ? t('check.notFound', { name: checkName(check, language) })
                      : checkName(check, language)}
                  </strong>
                  {outcome === 'mismatch' && check.onMismatch && (
                    <Tag color={check.onMismatch === 'refuse' ? 'error' : 'warning'}>
                      {t(`check.${check.onMismatch}` as MessageKey)}
                    </Tag>
                  )}
                </Space>
                <Typography.Text type="secondary">
                  {t('check.source')}: {sourceName(t)(check.source)} · {t('check.asOf')}:{' '}
                  {check.asOf ?? t('check.noAsOf')}
                  {outcome === 'pending' &&
                    ` · ${t(check.pendingReason === 'stale' ? 'check.pendingReason.stale' : 'check.pendingReason.other')}`}
                </Typography.Text>
                {outcome !== 'passed' && <span>{check.reason[language]}</span>}
                {Object.keys(check.figures ?? {}).length > 0 && (
                  <Space wrap size={4}>
                    {Object.entries(check.figures ?? {}).map(([name, value]) => (
                      <Tag key={name}>
                        {name}: {String(value)}
                      </Tag>
                    ))}
                  </Space>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
    </section>
  );
}

/** A submission refused by the checks (422): the refusing checks by name, then every check's result. */
export function RefusedByVerification({ error }: { error: unknown }) {
  const t = useT();
  const { language } = useLanguage();
  const results = refusedByVerification(error instanceof ApiError ? error.problem : undefined);
  if (!results) return null;
  const refusing = refusingChecks(results);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        role="alert"
        type="error"
        showIcon
        message={t('check.refusedTitle')}
        description={
          <>
            <div>{t('check.refusedHint')}</div>
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {refusing.map((r) => (
                <li key={r.check}>{checkSentence(r, language, sourceName(t))}</li>
              ))}
            </ul>
          </>
        }
      />
      <VerificationList results={results} title={t('check.title')} />
    </Space>
  );
}
