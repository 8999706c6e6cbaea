import { useEffect, type ReactNode } from 'react';
import { signOut } from './auth/session';
import { LANGUAGES, useI18n, type Language } from './i18n';
import { Link, matchPath, navigate, usePath } from './router';
import { abilitiesOf, homeOf, MeProvider, useMe, useSessionState } from './session';
import { CallbackPage } from './pages/CallbackPage';
import { SignInPage } from './pages/SignInPage';
import { PortalPage } from './pages/PortalPage';
import { RequestPage } from './pages/RequestPage';
import { WorklistPage } from './pages/WorklistPage';
import { ReadPage } from './pages/ReadPage';
import { AdminPage } from './pages/AdminPage';
import { NotFoundPage, NothingForRolePage } from './pages/MessagePages';
import { ViewerRoute } from './viewerSlot';

/** The application: sign-in when there is no session, else the shell with the page of the current route. */
export function App() {
  const path = usePath();
  const session = useSessionState();
  const { t } = useI18n();

  if (path === '/callback') return <CallbackPage />;
  if (session.kind === 'signed-out') return <SignInPage />;
  if (session.kind === 'loading') return <p className="page-status" role="status">{t('common.loading')}</p>;
  if (session.kind === 'error') {
    return (
      <main className="center-card">
        <p role="alert">{t('app.meFailed', { message: session.message })}</p>
        <button type="button" onClick={signOut}>{t('nav.signOut')}</button>
      </main>
    );
  }
  return (
    <MeProvider me={session.me}>
      <Shell>
        <Routed path={path} />
      </Shell>
    </MeProvider>
  );
}

function Routed({ path }: { path: string }) {
  const me = useMe();
  const can = abilitiesOf(me);
  let m: Record<string, string> | null;
  if (path === '/') return <Redirect to={homeOf(me)} />;
  if (path === '/nothing') return <NothingForRolePage />;
  if (path === '/portal') return can.portal ? <PortalPage /> : <NothingForRolePage />;
  if ((m = matchPath('/requests/:id', path))) return can.portal ? <RequestPage id={m.id} /> : <NothingForRolePage />;
  if (path === '/worklist') return can.worklist ? <WorklistPage /> : <NothingForRolePage />;
  if ((m = matchPath('/read/:id', path))) return can.worklist ? <ReadPage id={m.id} /> : <NothingForRolePage />;
  if ((m = matchPath('/viewer/:studyUid', path))) return <ViewerRoute studyUid={m.studyUid} />;
  if (path === '/admin') return can.admin ? <AdminPage /> : <NothingForRolePage />;
  return <NotFoundPage />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const can = abilitiesOf(me);
  const path = usePath();
  const { t } = useI18n();
  const item = (to: string, label: string, active: boolean) => (
    <li>
      <Link to={to} aria-current={active ? 'page' : undefined}>{label}</Link>
    </li>
  );
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="app-header">
        <Link to="/" className="brand">{t('app.name')}</Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {can.portal && item('/portal', t('nav.portal'), path === '/portal' || path.startsWith('/requests/'))}
            {can.worklist && item('/worklist', t('nav.worklist'), path === '/worklist' || path.startsWith('/read/'))}
            {can.admin && item('/admin', t('nav.admin'), path === '/admin')}
          </ul>
        </nav>
        <div className="who">
          <span className="who-name">{me.user}</span>
          <span className="who-org">{me.organization} · {t(`role.${me.role}`)}</span>
        </div>
        <LanguageSwitch />
        <button type="button" className="link-button" onClick={signOut}>{t('nav.signOut')}</button>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>{l === 'zh-CN' ? '中文' : 'English'}</option>
        ))}
      </select>
    </label>
  );
}
