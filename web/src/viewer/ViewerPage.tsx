// The /viewer/:studyUid page: a thin React wrapper that mounts the framework-agnostic viewer (mountViewer) on a div
// and disposes it when the page goes away or the study changes.
import { useEffect, useRef } from 'react';
import { getAccessToken } from '../auth/session';
import { mountViewer } from './mountViewer';

export default function ViewerPage({ studyUid }: { studyUid: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const handle = mountViewer(host.current, { studyInstanceUid: studyUid, dicomwebRoot: '/dicomweb', getToken: getAccessToken });
    return () => handle.dispose();
  }, [studyUid]);
  // Fills the region the app gives it (beside the report editor, or the whole /viewer page below the header).
  return <div ref={host} className="rb-viewer-page" style={{ position: 'absolute', inset: 0 }} />;
}
