import { useI18n } from '../i18n';
import { Link } from '../router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="page">
      <h1>{t('notFound.title')}</h1>
      <p><Link to="/">{t('notFound.home')}</Link></p>
    </section>
  );
}

export function NothingForRolePage() {
  const { t } = useI18n();
  return (
    <section className="page">
      <h1>{t('nothing.title')}</h1>
      <p>{t('nothing.text')}</p>
    </section>
  );
}
