import { lazy, Suspense } from 'react';
import { useI18n } from './i18n';

// The image viewer (web/src/viewer/) loads as its own chunk: Cornerstone and its codecs are most of the bundle, and
// only readers and clinicians opening a study need them.
const ViewerPage = lazy(() => import('./viewer/ViewerPage'));

/** The viewer beside the report editor. */
export function ViewerRegion({ studyUid, className }: { studyUid: string; className?: string }) {
  const { t } = useI18n();
  return (
    <section className={className ? `viewer-region ${className}` : 'viewer-region'} aria-label={t('viewer.label')}>
      <Suspense fallback={<p role="status" className="viewer-loading">{t('viewer.loading')}</p>}>
        <ViewerPage studyUid={studyUid} />
      </Suspense>
    </section>
  );
}

/** The route /viewer/:studyUid. */
export function ViewerRoute({ studyUid }: { studyUid: string }) {
  return <ViewerRegion studyUid={studyUid} className="viewer-route" />;
}
