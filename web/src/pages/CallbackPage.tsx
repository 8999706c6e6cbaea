import { useEffect, useRef, useState } from 'react';
import { completeSignIn } from '../auth/session';
import { errorMessage } from '../api/http';
import { useI18n } from '../i18n';
import { navigate } from '../router';

/** /callback: the server's login page sends the browser back here with a code, which is traded for tokens. */
export function CallbackPage() {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once only: React's development double effects must not spend the single-use code twice.
    if (started.current) return;
    started.current = true;
    completeSignIn(location.search)
      .then((to) => {
        window.dispatchEvent(new Event('radbridge:signed-in'));
        navigate(to, { replace: true });
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  return (
    <main className="center-card">
      {error ? (
        <>
          <p role="alert">{t('signIn.failed', { message: error })}</p>
          <button type="button" onClick={() => navigate('/', { replace: true })}>{t('signIn.again')}</button>
        </>
      ) : (
        <p role="status">{t('signIn.completing')}</p>
      )}
    </main>
  );
}
