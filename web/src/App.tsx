import { Suspense, lazy, useEffect, useState } from 'react';
import { studyUidFromPath } from './viewer/route';

// The viewer (Cornerstone, vtk.js, codecs: most of the bundle) loads only when a viewer page is opened.
const ViewerPage = lazy(() => import('./viewer/ViewerPage'));

interface Me {
  user: string;
  organization: string | null;
  role: string;
  centre: boolean;
}

// --- viewer route (viewer branch; the lead reconciles it with the router of the webapp branch) ---
// /viewer/<studyUid> renders the viewer page; everything else the shell below.
export function App() {
  const viewerStudy = studyUidFromPath(location.pathname);
  return viewerStudy ? (
    <Suspense fallback={<p>Loading viewer…</p>}>
      <ViewerPage studyUid={viewerStudy} />
    </Suspense>
  ) : (
    <Shell />
  );
}
// --- end of viewer route ---

// Application shell. Pages (login, clinic portal, worklist, viewer, report editor, admin) are added beside it.
function Shell() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/me', { credentials: 'same-origin' })
      .then(async (r) => (r.ok ? setMe((await r.json()) as Me) : setError(`${r.status} ${r.statusText}`)))
      .catch((e: unknown) => setError(String(e)));
  }, []);
  return (
    <main>
      <h1>RadBridge</h1>
      {me ? <p>{me.user} · {me.organization} · {me.role}</p> : <p>{error ?? '…'}</p>}
    </main>
  );
}
