/**
 * The shell: language and Ant Design locale, the query client, the session, the menu a role is
 * offered, and each page loaded on first visit (its own chunk).
 */
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, ConfigProvider, Layout, Menu, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { User, UserManager } from 'oidc-client-ts';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { HashRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { Role } from '../../functions/kernel/domain/actor.js';
import { ApiError } from './api.js';
import { signIn } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { ErrorBoundary } from './error-boundary.js';
import { LanguageProvider, type MessageKey, useLanguage, useT } from './i18n/index.js';
import { SessionProvider, useSession } from './session.js';
import { signOutOfTab } from './tab-owner.js';
import { theme } from './theme.js';
import { useUnitNames } from './unit-names.js';

const NewApplication = lazy(() => import('./pages/new-application.js'));
const CommunityApplications = lazy(() => import('./pages/community-applications.js'));
const ApplicationPage = lazy(() => import('./pages/application/application-page.js'));
const InboxPage = lazy(() => import('./pages/inbox.js'));
const Dashboard = lazy(() => import('./pages/dashboard.js'));
const AdminPages = lazy(() => import('./pages/admin.js'));
const Webhooks = lazy(() => import('./pages/webhooks.js'));
const LedgerPage = lazy(() => import('./pages/ledger/ledger-page.js'));
const LedgerEntryPage = lazy(() => import('./pages/ledger/entry-page.js'));
const ScorecardPage = lazy(() => import('./pages/scorecard.js'));
const EvaluationPage = lazy(() => import('./pages/evaluation.js'));
const FlagsPage = lazy(() => import('./pages/flags/flags-page.js'));
const RecheckPage = lazy(() => import('./pages/recheck.js'));
// The shell's rarer parts load when shown: the first screen stays small (the bench's 350 KB budget).
const AssignmentSwitch = lazy(() => import('./shell-extras.js').then((m) => ({ default: m.AssignmentSwitch })));
const ExpiredDialog = lazy(() => import('./shell-extras.js').then((m) => ({ default: m.ExpiredDialog })));
const NoAssignment = lazy(() => import('./shell-extras.js').then((m) => ({ default: m.NoAssignment })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
      networkMode: 'online',
    },
    mutations: { networkMode: 'online' },
  },
  queryCache: new QueryCache(),
});

interface MenuEntry {
  path: string;
  label: MessageKey;
  /** Offered only at the city's own level (the annual evaluation is the city's). */
  cityOnly?: boolean;
}

const scorecard: MenuEntry = { path: '/scorecard', label: 'menu.scorecard' };
const evaluation: MenuEntry = { path: '/evaluation', label: 'menu.evaluation', cityOnly: true };
const flags: MenuEntry = { path: '/flags', label: 'menu.flags' };
const recheck: MenuEntry = { path: '/recheck', label: 'menu.recheck', cityOnly: true };

// `auditor` (稽核员) is named besides the roles until the roles' list gains it.
const menus: Record<Role, MenuEntry[]> = {
  'community-staff': [
    { path: '/new', label: 'menu.newApplication' },
    { path: '/community', label: 'menu.myApplications' },
    { path: '/ledger', label: 'menu.ledger' },
    scorecard,
  ],
  'street-approver': [{ path: '/inbox', label: 'menu.inbox' }, scorecard],
  'district-approver': [{ path: '/inbox', label: 'menu.inbox' }, scorecard],
  'city-approver': [{ path: '/inbox', label: 'menu.inbox' }, scorecard, evaluation, flags],
  'city-monitor': [{ path: '/dashboard', label: 'menu.dashboard' }, scorecard, evaluation, recheck],
  auditor: [flags],
  'city-admin': [
    { path: '/admin/staff', label: 'menu.staff' },
    { path: '/admin/units', label: 'menu.units' },
    { path: '/admin/policies', label: 'menu.policies' },
    { path: '/admin/calendars', label: 'menu.calendars' },
    evaluation,
    recheck,
  ],
};

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function SignInScreen() {
  const t = useT();
  const { manager } = useSession();
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center' }}>
      <main>
        <Space direction="vertical" align="center" size="large">
          <Typography.Title level={1} style={{ fontSize: 28, margin: 0 }}>
            {t('appTitle')}
          </Typography.Title>
          <Typography.Text>{t('signInPrompt')}</Typography.Text>
          <Space>
            <Button type="primary" size="large" onClick={() => void signIn(manager)}>
              {t('signIn')}
            </Button>
            <LanguageSwitch />
          </Space>
        </Space>
      </main>
    </Layout>
  );
}

function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  return (
    <Button
      type="link"
      lang={language === 'zh' ? 'en' : 'zh-CN'}
      onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
    >
      {t('language')}
    </Button>
  );
}

function Home() {
  const { acting } = useSession();
  const first = acting ? menus[acting.role][0] : undefined;
  return first ? <Navigate to={first.path} replace /> : null;
}

function Shell() {
  const t = useT();
  const unitName = useUnitNames();
  const session = useSession();
  const { me, acting, manager, meError } = session;
  const navigate = useNavigate();
  const location = useLocation();
  const online = useOnline();
  if (meError) {
    const status = meError instanceof ApiError ? meError.status : 0;
    if (status === 401) return <SignInScreen />;
    return (
      <Suspense fallback={null}>
        <NoAssignment
          status={status}
          onSignOut={() => void signOutOfTab(manager, queryClient).then(() => window.location.reload())}
        />
      </Suspense>
    );
  }
  if (!me || !acting) return <Spin size="large" fullscreen tip={t('loading')} />;
  const entries = menus[acting.role].filter((e) => !e.cityOnly || acting.unit.startsWith('city:'));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#fff', borderBottom: '1px solid #eee' }}
      >
        <Typography.Text strong style={{ fontSize: 18, whiteSpace: 'nowrap' }}>
          {t('appTitle')}
        </Typography.Text>
        <nav aria-label={t('appTitle')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            mode="horizontal"
            selectedKeys={entries.filter((e) => location.pathname.startsWith(e.path)).map((e) => e.path)}
            items={entries.map((e) => ({ key: e.path, label: t(e.label) }))}
            onClick={({ key }) => navigate(key)}
            style={{ borderBottom: 'none' }}
          />
        </nav>
        <Space>
          <span>{me.name}</span>
          {me.assignments.length > 1 ? (
            <Suspense fallback={null}>
              <AssignmentSwitch
                onChosen={() => {
                  queryClient.clear();
                  navigate('/');
                }}
              />
            </Suspense>
          ) : (
            <span>
              {t(`role.${acting.role}` as MessageKey)} · {unitName(acting.unit)}
            </span>
          )}
          <LanguageSwitch />
          <Button
            onClick={() => {
              void signOutOfTab(manager, queryClient).then(() => window.location.assign('/'));
            }}
          >
            {t('signOut')}
          </Button>
        </Space>
      </Layout.Header>
      {!online && <Alert type="warning" banner message={t('offline')} />}
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <ErrorBoundary key={location.pathname}>
            <Suspense
              fallback={
                <Spin tip={t('slow')}>
                  <div style={{ height: 200 }} />
                </Spin>
              }
            >
              <Routes>
                <Route path="/" element={<Home />} />
                <Route path="/new" element={<NewApplication />} />
                <Route path="/community" element={<CommunityApplications />} />
                <Route path="/applications/:id" element={<ApplicationPage />} />
                <Route path="/applications/:id/webhooks" element={<Webhooks />} />
                <Route path="/inbox" element={<InboxPage />} />
                <Route path="/dashboard" element={<Dashboard />} />
                <Route path="/admin/:page" element={<AdminPages />} />
                <Route path="/ledger" element={<LedgerPage />} />
                <Route path="/ledger/:id" element={<LedgerEntryPage />} />
                <Route path="/scorecard" element={<ScorecardPage />} />
                <Route path="/evaluation" element={<EvaluationPage />} />
                <Route path="/flags" element={<FlagsPage />} />
                <Route path="/flags/:id" element={<FlagsPage />} />
                <Route path="/recheck" element={<RecheckPage />} />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          </ErrorBoundary>
        </main>
      </Layout.Content>
      {session.expired && (
        <Suspense fallback={null}>
          <ExpiredDialog />
        </Suspense>
      )}
    </Layout>
  );
}

function Localized({ children }: { children: ReactNode }) {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function Signed() {
  const { user } = useSession();
  return user ? <Shell /> : <SignInScreen />;
}

export function App(props: { config: ConsoleConfig; manager: UserManager; user: User | null }) {
  return (
    <LanguageProvider>
      <Localized>
        <QueryClientProvider client={queryClient}>
          <SessionProvider config={props.config} manager={props.manager} user={props.user}>
            <HashRouter>
              <Signed />
            </HashRouter>
          </SessionProvider>
        </QueryClientProvider>
      </Localized>
    </LanguageProvider>
  );
}
