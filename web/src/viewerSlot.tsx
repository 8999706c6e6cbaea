import { useI18n } from './i18n';

// The image viewer (web/src/viewer/, ViewerPage) is built on its own branch; until it lands, the places that show it
// render this clearly marked region instead, so the report editor's layout and tests do not wait for it.

/** The viewer beside the report editor. */
export function ViewerRegion({ studyUid }: { studyUid: string }) {
  const { t } = useI18n();
  return (
    <section className="viewer-placeholder" aria-label={t('viewer.label')} data-study={studyUid}>
      <p>{t('viewer.placeholder')}</p>
    </section>
  );
}

/** The route /viewer/:studyUid. */
export function ViewerRoute({ studyUid }: { studyUid: string }) {
  return <ViewerRegion studyUid={studyUid} />;
}
