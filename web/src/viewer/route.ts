// The viewer's route, kept apart from the page so the router can match it without loading the viewer's bundle.

/** The study UID of a /viewer/<studyUid> path, or null. */
export function studyUidFromPath(pathname: string): string | null {
  const m = /^\/viewer\/([0-9.]+)\/?$/.exec(pathname);
  return m ? m[1] : null;
}
