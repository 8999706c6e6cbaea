import { lazy, Suspense, type ComponentType } from 'react';
import { useI18n } from './i18n';

// The image viewer (web/src/viewer/ViewerPage.tsx, default export, prop studyUid) is built on its own branch. It is
// looked up with import.meta.glob rather than imported, so this app builds with or without it: once the file is there
// the viewer loads (as its own chunk: Cornerstone and its codecs are most of the bundle, and only readers need them);
// until then a clearly marked region holds its place.
const viewerModules = import.meta.glob<{ default: ComponentType<{ studyUid: string }> }>('./viewer/ViewerPage.tsx');
const loadViewer = viewerModules['./viewer/ViewerPage.tsx'] as (() => Promise<{ default: ComponentType<{ studyUid: string }> }>) | undefined;
const ViewerPage = loadViewer ? lazy(loadViewer) : null;

/** The viewer beside the report editor. */
export function ViewerRegion({ studyUid }: { studyUid: string }) {
  const { t } = useI18n();
  if (ViewerPage) {
    return (
      <section className="viewer-region" aria-label={t('viewer.label')}>
        <Suspense fallback={<p role="status" className="viewer-loading">{t('viewer.loading')}</p>}>
          <ViewerPage studyUid={studyUid} />
        </Suspense>
      </section>
    );
  }
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
