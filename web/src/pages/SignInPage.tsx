import { useState } from 'react';
import { signIn } from '../auth/session';
import { errorMessage } from '../api/http';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../App';

/** Shown without a session: the password (and second factor) form is the server's own login page, reached by PKCE. */
export function SignInPage() {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="center-card sign-in">
      <div className="sign-in-lang"><LanguageSwitch /></div>
      <h1>{t('app.name')}</h1>
      <p className="tagline">{t('signIn.tagline')}</p>
      <button
        type="button"
        className="primary"
        onClick={() => {
          const to = location.pathname === '/' ? '/' : location.pathname + location.search;
          signIn(to).catch((e: unknown) => setError(errorMessage(e)));
        }}
      >
        {t('signIn.button')}
      </button>
      {error && <p role="alert" className="error">{error}</p>}
      <p className="hint">{t('signIn.hint')}</p>
    </main>
  );
}
