/** The shell's parts few screens need, loaded when shown: the assignment switch, the expired-session dialog, the no-assignment page. */
import { Button, Modal, Result, Select } from 'antd';
import { signIn } from './auth.js';
import { type MessageKey, useT } from './i18n/index.js';
import { useSession } from './session.js';
import { useUnitNames } from './unit-names.js';

export function AssignmentSwitch({ onChosen }: { onChosen(): void }) {
  const t = useT();
  const session = useSession();
  const unitName = useUnitNames();
  const { me, acting } = session;
  if (!me || !acting) return null;
  return (
    <Select
      aria-label={t('actingAs')}
      value={`${acting.role}@${acting.unit}`}
      style={{ minWidth: 260 }}
      options={me.assignments.map((a) => ({
        value: `${a.role}@${a.unit}`,
        label: `${t(`role.${a.role}` as MessageKey)} · ${unitName(a.unit)}`,
      }))}
      onChange={(value: string) => {
        const next = me.assignments.find((a) => `${a.role}@${a.unit}` === value);
        if (next) {
          session.setActing(next);
          onChosen();
        }
      }}
    />
  );
}

export function ExpiredDialog() {
  const t = useT();
  const { expired, manager } = useSession();
  return (
    <Modal
      open={expired}
      closable={false}
      maskClosable={false}
      title={t('sessionExpired')}
      footer={
        <Button type="primary" onClick={() => void signIn(manager)}>
          {t('signIn')}
        </Button>
      }
    />
  );
}

export function NoAssignment({ status, onSignOut }: { status: number; onSignOut(): void }) {
  const t = useT();
  return (
    <Result
      status={status === 403 ? '403' : 'error'}
      title={status === 403 ? t('noAssignment') : t('errorTitle')}
      extra={<Button onClick={onSignOut}>{t('signOut')}</Button>}
    />
  );
}
