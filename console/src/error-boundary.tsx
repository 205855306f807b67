/** Never a blank page: a page that throws shows what happened and a way back. */
import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';
import { useT } from './i18n/index.js';

function Fallback({ error }: { error: unknown }) {
  const t = useT();
  return (
    <Result
      status="error"
      title={t('errorTitle')}
      subTitle={String(error instanceof Error ? error.message : error)}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/#/')}>
          {t('errorBack')}
        </Button>
      }
    />
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    return this.state.error !== undefined ? <Fallback error={this.state.error} /> : this.props.children;
  }
}
